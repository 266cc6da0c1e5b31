import {
  createHttpApp,
  finishHttpApp,
  type Guard,
  guardedRoutes,
  type HealthSources,
  healthRoutes,
  idempotency,
  type Logger,
} from "@mebel/adapter-http";
import {
  type CommandBus,
  type Courier,
  type EventStore,
  type IdempotencyStore,
  OrderId,
  type ReadModelStore,
} from "@mebel/core";
import type { Express } from "express";
import * as E from "fp-ts/lib/Either.js";
import { commandRoutes } from "./command-routes.js";
import { loadDelivery } from "./delivery-view.js";
import { deliveryLiveFeed } from "./live-feed.js";
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
  /** Origins whose pages may call it from a browser (CORS); none by default. */
  readonly corsOrigins?: ReadonlyArray<string>;
  /** Who is calling: the verifier of access tokens. */
  readonly guard: Guard;
}

/** The delivery service's HTTP API (docs/http-api.md, "Delivery"), plus `/health` and `/ready`. */
export const createDeliveryApp = (deps: DeliveryAppDeps): Express => {
  const app = createHttpApp({
    logger: deps.logger,
    ...(deps.corsOrigins === undefined ? {} : { corsOrigins: deps.corsOrigins }),
  });
  const reads = readRoutes(deps);
  const commands = commandRoutes(deps);
  const health = healthRoutes(deps.health);
  const once = idempotency(deps.idempotency, deps.logger);
  const routes = guardedRoutes(app.router, "delivery", deps.guard, {
    // A courier's token reaches only the deliveries assigned to that courier, by their stream.
    owners: {
      delivery: async (orderId) => {
        if (!OrderId.is(orderId)) return undefined;
        const at = await loadDelivery(deps.store, orderId);
        return E.isRight(at) && at.right.state.status !== "none"
          ? (at.right.state.courierId ?? undefined)
          : undefined;
      },
    },
  });

  routes.get("/health", health.health);
  routes.get("/ready", health.ready);
  routes.get("/couriers", reads.couriers);
  routes.get("/deliveries", reads.board);
  // Before `/deliveries/:orderId`, which would take "live" for an order id.
  routes.get("/deliveries/live", deliveryLiveFeed(deps));
  routes.get("/couriers/:courierId/deliveries", reads.courierDeliveries);
  routes.get("/deliveries/:orderId", reads.delivery);
  routes.post("/deliveries/:orderId/assign", once, commands.assign);
  routes.post("/deliveries/:orderId/reassign", once, commands.reassign);
  routes.post("/deliveries/:orderId/pick-up", once, commands.pickUp);
  routes.post("/deliveries/:orderId/rerequest", once, commands.rerequest);
  routes.post("/deliveries/:orderId/complete", once, commands.complete);
  routes.post("/deliveries/:orderId/fail", once, commands.fail);
  routes.post("/deliveries/:orderId/reschedule", once, commands.reschedule);
  routes.post("/deliveries/:orderId/cancel", once, commands.cancel);
  return finishHttpApp(app, deps.logger);
};
