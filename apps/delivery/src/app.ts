import {
  createHttpApp,
  finishHttpApp,
  type HealthSources,
  healthRoutes,
  idempotency,
  type Logger,
} from "@mebel/adapter-http";
import type {
  CommandBus,
  Courier,
  EventStore,
  IdempotencyStore,
  ReadModelStore,
} from "@mebel/core";
import type { Express } from "express";
import { commandRoutes } from "./command-routes.js";
import { readRoutes } from "./read-routes.js";

export interface DeliveryAppDeps {
  readonly bus: CommandBus;
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly idempotency: IdempotencyStore;
  /** Reference data: who can carry deliveries, and how many at once. */
  readonly couriers: ReadonlyArray<Courier>;
  readonly logger: Logger;
  /** The subscribers this instance runs, for `/health` and `/ready`. */
  readonly health: HealthSources;
}

/** The delivery service's HTTP API (docs/http-api.md, "Delivery"), plus `/health` and `/ready`. */
export const createDeliveryApp = (deps: DeliveryAppDeps): Express => {
  const app = createHttpApp({ logger: deps.logger });
  const reads = readRoutes(deps);
  const commands = commandRoutes(deps);
  const health = healthRoutes(deps.health);
  const once = idempotency(deps.idempotency, deps.logger);

  app.get("/health", health.health);
  app.get("/ready", health.ready);
  app.get("/couriers", reads.couriers);
  app.get("/deliveries", reads.board);
  app.get("/deliveries/:orderId", reads.delivery);
  app.post("/deliveries/:orderId/assign", once, commands.assign);
  app.post("/deliveries/:orderId/complete", once, commands.complete);
  app.post("/deliveries/:orderId/fail", once, commands.fail);
  app.post("/deliveries/:orderId/reschedule", once, commands.reschedule);
  app.post("/deliveries/:orderId/cancel", once, commands.cancel);
  return finishHttpApp(app, deps.logger);
};
