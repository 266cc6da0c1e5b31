import {
  API_VERSION,
  addApiDocsRoutes,
  createHttpApp,
  finishHttpApp,
  type Guard,
  guardedRoutes,
  HEALTH_SPEC,
  type HealthSources,
  healthRoutes,
  idempotency,
  type Logger,
  METRICS_SPEC,
  metricsEndpoint,
  READY_SPEC,
  type Telemetry,
} from "@mebel/adapter-http";
import {
  type Catalog,
  type CommandBus,
  type EventStore,
  type IdempotencyStore,
  type Ids,
  OrderId,
  type ReadModelStore,
  type StateCache,
} from "@mebel/core";
import type { Express } from "express";
import * as E from "fp-ts/lib/Either.js";
import { aggregateReads } from "./reads.js";
import { addItemRoutes } from "./routes/items.js";
import { addOrderRoutes } from "./routes/orders.js";
import { addQueueRoutes } from "./routes/queue.js";
import { addStockRoutes } from "./routes/stock.js";

export interface WarehouseAppDeps {
  /** The process's metrics and tracing (one per process); a default one when absent. */
  readonly telemetry?: Telemetry;
  readonly bus: CommandBus;
  readonly store: EventStore;
  readonly catalog: Catalog;
  readonly readModels: ReadModelStore;
  readonly idempotency: IdempotencyStore;
  readonly ids: Ids;
  readonly logger: Logger;
  readonly health: HealthSources;
  /** Origins whose pages may call it from a browser (CORS); none by default. */
  readonly corsOrigins?: ReadonlyArray<string>;
  /** Who is calling: the verifier of access tokens. */
  readonly guard: Guard;
  /** The command handler's state cache: queries then fold only what is new since it last looked. */
  readonly cache?: StateCache;
}

/** The warehouse service: orders and stock, every command through the bus, every read live. */
export const createWarehouseApp = (deps: WarehouseAppDeps): Express => {
  const app = createHttpApp({
    logger: deps.logger,
    service: "warehouse",
    ...(deps.telemetry === undefined ? {} : { telemetry: deps.telemetry }),
    ...(deps.corsOrigins === undefined ? {} : { corsOrigins: deps.corsOrigins }),
  });
  const reads = aggregateReads(deps.store, deps.cache);
  const routes = guardedRoutes(app.router, "warehouse", deps.guard, {
    // A customer's token reaches only the customer's orders, read from the order's own stream.
    // An order's customer is set once, by OrderCreated, so a cached state that has it names the
    // same owner as a fresh read: only an order not seen yet costs a round trip.
    owners: {
      order: async (orderId) => {
        if (!OrderId.is(orderId)) return undefined;
        const cached = await reads.orderAsCached(orderId);
        const at =
          E.isRight(cached) && cached.right.state.status === "none" && cached.right.cached
            ? await reads.order(orderId)
            : cached;
        return E.isRight(at) && at.right.state.status !== "none"
          ? at.right.state.customerId
          : undefined;
      },
    },
    // Behind the check, so that a replayed answer is only ever the caller's own.
    after: [idempotency(deps.idempotency, deps.logger)],
  });
  const health = healthRoutes(deps.health);
  routes.get("/health", HEALTH_SPEC, health.health);
  routes.get("/ready", READY_SPEC, health.ready);
  routes.get("/metrics", METRICS_SPEC, metricsEndpoint(deps.telemetry, deps.health));
  addOrderRoutes(routes, { ...deps, reads });
  addItemRoutes(routes, { ...deps, reads });
  addStockRoutes(routes, { ...deps, reads });
  addQueueRoutes(routes, deps);
  addApiDocsRoutes(routes, app, {
    title: "Mebel warehouse",
    description:
      "Orders and stock: every command decided on its own stream, every read live from the streams.",
    version: API_VERSION,
  });
  return finishHttpApp(app, deps.logger);
};
