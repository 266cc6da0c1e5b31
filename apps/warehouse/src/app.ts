import {
  createHttpApp,
  finishHttpApp,
  type HealthSources,
  healthRoutes,
  idempotency,
  type Logger,
} from "@mebel/adapter-http";
import type {
  Catalog,
  CommandBus,
  EventStore,
  IdempotencyStore,
  Ids,
  ReadModelStore,
  StateCache,
} from "@mebel/core";
import type { Express } from "express";
import { aggregateReads } from "./reads.js";
import { itemsRouter } from "./routes/items.js";
import { ordersRouter } from "./routes/orders.js";
import { queueRouter } from "./routes/queue.js";
import { stockRouter } from "./routes/stock.js";

export interface WarehouseAppDeps {
  readonly bus: CommandBus;
  readonly store: EventStore;
  readonly catalog: Catalog;
  readonly readModels: ReadModelStore;
  readonly idempotency: IdempotencyStore;
  readonly ids: Ids;
  readonly logger: Logger;
  readonly health: HealthSources;
  /** The command handler's state cache: queries then fold only what is new since it last looked. */
  readonly cache?: StateCache;
}

/** The warehouse service: orders and stock, every command through the bus, every read live. */
export const createWarehouseApp = (deps: WarehouseAppDeps): Express => {
  const app = createHttpApp({ logger: deps.logger });
  const health = healthRoutes(deps.health);
  app.get("/health", health.health);
  app.get("/ready", health.ready);
  app.use(idempotency(deps.idempotency, deps.logger));
  const reads = aggregateReads(deps.store, deps.cache);
  app.use(ordersRouter({ ...deps, reads }));
  app.use(itemsRouter({ ...deps, reads }));
  app.use(stockRouter({ ...deps, reads }));
  app.use(queueRouter(deps));
  return finishHttpApp(app, deps.logger);
};
