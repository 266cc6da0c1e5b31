import {
  API_VERSION,
  addApiDocsRoutes,
  createHttpApp,
  DELIVERY_REFUSALS,
  finishHttpApp,
  type Guard,
  guardedRoutes,
  HEALTH_SPEC,
  type HealthSources,
  healthRoutes,
  idempotency,
  type Logger,
  METRICS_SPEC,
  MIN_POSITION_SPEC,
  metricsEndpoint,
  PageParams,
  READY_SPEC,
  type Telemetry,
} from "@mebel/adapter-http";
import {
  type CommandBus,
  type Courier,
  type EventStore,
  type IdempotencyStore,
  OrderId,
  type ReadModelStore,
  type SlotPolicy,
} from "@mebel/core";
import type { Express } from "express";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { commandRoutes } from "./command-routes.js";
import { loadDelivery } from "./delivery-view.js";
import { deliveryLiveFeed } from "./live-feed.js";
import { readRoutes } from "./read-routes.js";
import {
  AssignBody,
  BoardBody,
  CourierDeliveriesBody,
  CourierPath,
  CouriersBody,
  DeliveryBody,
  DeliveryPath,
  PickUpBody,
  ReasonBody,
} from "./requests.js";

export interface DeliveryAppDeps {
  /** The process's metrics and tracing (one per process); a default one when absent. */
  readonly telemetry?: Telemetry;
  readonly bus: CommandBus;
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly idempotency: IdempotencyStore;
  /** Reference data: who can carry deliveries, and how many at once. */
  readonly couriers: ReadonlyArray<Courier>;
  /** How the shop cuts days into delivery slots (the default's half days otherwise). */
  readonly slotPolicy?: SlotPolicy;
  /** When a dispatcher's command is decided: the system clock otherwise. */
  readonly now?: () => Date;
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
    service: "delivery",
    ...(deps.telemetry === undefined ? {} : { telemetry: deps.telemetry }),
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

  routes.get("/health", HEALTH_SPEC, health.health);
  routes.get("/ready", READY_SPEC, health.ready);
  routes.get("/metrics", METRICS_SPEC, metricsEndpoint(deps.telemetry, deps.health));
  routes.get(
    "/couriers",
    {
      summary: "Each courier with how many deliveries they carry now",
      responses: { 200: CouriersBody },
    },
    reads.couriers,
  );
  routes.get(
    "/deliveries",
    {
      summary: "The dispatcher's board: a page awaiting a courier, each courier's, and its lag",
      query: t.intersection([PageParams, MIN_POSITION_SPEC.query]),
      headers: MIN_POSITION_SPEC.headers,
      responses: { 200: BoardBody },
      problems: MIN_POSITION_SPEC.problems,
    },
    reads.board,
  );
  // Before `/deliveries/:orderId`, which would take "live" for an order id.
  routes.get(
    "/deliveries/live",
    {
      summary: "Server-sent `changed` once the board has a delivery's change (never which one)",
      responses: { 200: { contentType: "text/event-stream" } },
    },
    deliveryLiveFeed(deps),
  );
  routes.get(
    "/couriers/:courierId/deliveries",
    {
      summary: "What one courier carries now (assigned or picked up), from the board",
      params: CourierPath,
      responses: { 200: CourierDeliveriesBody },
    },
    reads.courierDeliveries,
  );
  routes.get(
    "/deliveries/:orderId",
    {
      summary: "One delivery, from its stream, with its revision as the ETag",
      params: DeliveryPath,
      responses: { 200: DeliveryBody },
      problems: ["DELIVERY_NOT_FOUND", "CORRUPT_EVENT"],
    },
    reads.delivery,
  );
  const command = (summary: string, body?: t.Any, problems: ReadonlyArray<string> = []) => ({
    summary,
    params: DeliveryPath,
    ...(body === undefined ? {} : { body }),
    ifMatch: true as const,
    command: true as const,
    responses: { 200: DeliveryBody },
    problems: [...DELIVERY_REFUSALS, ...problems],
  });
  routes.post(
    "/deliveries/:orderId/assign",
    command("A dispatcher assigns a courier, within their capacity, and a window", AssignBody, [
      "COURIER_NOT_FOUND",
      "COURIER_AT_CAPACITY",
      "DELIVERY_WINDOW_INVALID",
    ]),
    once,
    commands.assign,
  );
  routes.post(
    "/deliveries/:orderId/reassign",
    command(
      "A dispatcher gives an assigned delivery, not yet picked up, to another courier or window",
      AssignBody,
      [
        "COURIER_NOT_FOUND",
        "COURIER_AT_CAPACITY",
        "DELIVERY_ALREADY_PICKED_UP",
        "DELIVERY_WINDOW_INVALID",
      ],
    ),
    once,
    commands.reassign,
  );
  routes.post(
    "/deliveries/:orderId/pick-up",
    command("The courier took the goods: the order is handed over the first time", PickUpBody, [
      "COURIER_REQUIRED",
      "ORDER_NOT_DELIVERABLE",
      "ORDER_NOT_FOUND",
    ]),
    once,
    commands.pickUp,
  );
  routes.post(
    "/deliveries/:orderId/rerequest",
    command("A failed or cancelled delivery awaits a courier again", undefined, [
      "ORDER_NOT_DELIVERABLE",
      "ORDER_NOT_FOUND",
    ]),
    once,
    commands.rerequest,
  );
  routes.post(
    "/deliveries/:orderId/complete",
    command("The courier delivered"),
    once,
    commands.complete,
  );
  routes.post(
    "/deliveries/:orderId/fail",
    command("The courier could not deliver, and says why", ReasonBody),
    once,
    commands.fail,
  );
  routes.post(
    "/deliveries/:orderId/reschedule",
    command("A failed delivery awaits a courier again"),
    once,
    commands.reschedule,
  );
  routes.post(
    "/deliveries/:orderId/cancel",
    command("Nobody is to carry it any more: its courier is freed", ReasonBody),
    once,
    commands.cancel,
  );
  addApiDocsRoutes(routes, app, {
    title: "Mebel delivery",
    description:
      "Deliveries and couriers: the board, assignment and re-assignment, the courier's steps.",
    version: API_VERSION,
  });
  return finishHttpApp(app, deps.logger);
};
