import * as E from "fp-ts/lib/Either.js";
import { orderStream } from "../domain/streams.js";
import type { EventStore } from "../ports/event-store.js";
import type { ReadModelStore } from "../ports/read-model-store.js";
import { assembledWithoutDelivery } from "../processes/assembled-without-delivery.js";
import { deliveryBoardProjection } from "../projections/delivery-board.js";
import { olderThan } from "../projections/instants.js";
import { type OrderView, orderViewProjection } from "../projections/order-view.js";
import type { OrderId } from "../shared/codecs.js";
import { orderAggregate } from "./aggregates.js";
import type { CommandBus } from "./command-bus.js";
import type { CommandContext } from "./command-context.js";
import { rerequestDelivery, WITHDRAWN_REASON } from "./delivery-rerequest.js";
import { loadAggregate } from "./load-aggregate.js";
import { readViews } from "./read-views.js";

export interface DeliverySweepReport {
  /** Orders a delivery was requested for by this sweep: each one a "lost order ready" (R3). */
  readonly requested: ReadonlyArray<OrderId>;
  /** The delivery existed after all (the order view lagged): nothing was written. */
  readonly alreadyRequested: ReadonlyArray<OrderId>;
  /** The view said assembled, the order's own stream no longer does (cancelled, handed over). */
  readonly skipped: ReadonlyArray<OrderId>;
  /** Failed or hand-cancelled deliveries of orders still to deliver, asked for again. */
  readonly rerequested: ReadonlyArray<OrderId>;
  /** Live deliveries of cancelled orders (a crash between a re-request and its check), cancelled. */
  readonly withdrawn: ReadonlyArray<OrderId>;
  readonly failed: ReadonlyArray<{ readonly orderId: OrderId; readonly error: string }>;
}

/** Attempts a delivery gets before the sweep leaves it to staff: its request and two more. */
export const DEFAULT_MAX_DELIVERY_ATTEMPTS = 3;

const opensAttempt = new Set(["DeliveryRequested", "DeliveryRescheduled", "DeliveryRerequested"]);

/** How often the order's delivery was asked for, as far as the order's view has seen. */
const attemptsOf = (view: OrderView): number =>
  view.timeline.filter((entry) => opensAttempt.has(entry.type)).length;

/** Awaiting a courier or with one, not yet picked up: what a cancelled order must not keep. */
const isLive = (status: string): boolean => status === "awaiting_courier" || status === "assigned";

/**
 * R3 once: every order the views show assembled for longer than the grace, with no delivery
 * event, gets a delivery requested. The view picks the candidates; the Order stream confirms each,
 * since the view may not have seen a cancellation yet. Requesting is idempotent in the Delivery
 * aggregate, so a sweep that races the process manager, or runs twice, writes nothing more.
 *
 * Then the deliveries that ended without delivering: a failed or hand-cancelled delivery of an
 * order still to deliver is re-requested once the grace has passed (up to `maxAttempts` in all,
 * past which a dispatcher decides), and a delivery still live for a cancelled order is cancelled.
 */
export const sweepMissingDeliveries = async (
  deps: {
    readonly readModels: ReadModelStore;
    readonly store: EventStore;
    readonly bus: CommandBus;
  },
  options: {
    readonly now: Date;
    readonly graceMs: number;
    readonly context: CommandContext;
    readonly maxAttempts?: number;
  },
): Promise<DeliverySweepReport> => {
  const views = await readViews(orderViewProjection, deps.readModels).all();
  const board = await readViews(deliveryBoardProjection, deps.readModels).all();
  const requested: OrderId[] = [];
  const alreadyRequested: OrderId[] = [];
  const skipped: OrderId[] = [];
  const failed: Array<{ orderId: OrderId; error: string }> = [];
  for (const { command } of assembledWithoutDelivery(
    views.values(),
    options.now,
    options.graceMs,
  )) {
    const { orderId } = command;
    const order = await loadAggregate(deps.store, orderAggregate, orderStream(orderId));
    if (E.isLeft(order)) {
      failed.push({ orderId, error: order.left.code });
      continue;
    }
    if (order.right.state.status !== "assembled") {
      skipped.push(orderId);
      continue;
    }
    const handled = await deps.bus.delivery(command, options.context)();
    if (E.isLeft(handled)) failed.push({ orderId, error: handled.left.code });
    else if (handled.right.events.length > 0) requested.push(orderId);
    else alreadyRequested.push(orderId);
  }
  const rerequested: OrderId[] = [];
  const withdrawn: OrderId[] = [];
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_DELIVERY_ATTEMPTS;
  for (const entry of board.values()) {
    const view = views.get(entry.orderId);
    if (view === undefined || !olderThan(entry.updatedAt, options.now, options.graceMs)) continue;
    const { orderId } = entry;
    const over = entry.status === "failed" || entry.status === "cancelled";
    if (over && view.status !== "cancelled" && attemptsOf(view) < maxAttempts) {
      // The Order and Delivery streams decide: a view that lags costs a refusal or a no-op.
      const handled = await rerequestDelivery(deps, orderId, options.context);
      if (E.isLeft(handled)) {
        if (handled.left.code !== "ORDER_NOT_DELIVERABLE") {
          failed.push({ orderId, error: handled.left.code });
        }
      } else if (handled.right.events.length > 0) rerequested.push(orderId);
    }
    if (isLive(entry.status) && view.status === "cancelled") {
      const order = await loadAggregate(deps.store, orderAggregate, orderStream(orderId));
      if (E.isRight(order) && order.right.state.status !== "cancelled") continue;
      const handled = await deps.bus.delivery(
        { type: "CancelDelivery", orderId, reason: WITHDRAWN_REASON },
        options.context,
      )();
      if (E.isLeft(handled)) failed.push({ orderId, error: handled.left.code });
      else if (handled.right.events.length > 0) withdrawn.push(orderId);
    }
  }
  return { requested, alreadyRequested, skipped, rerequested, withdrawn, failed };
};
