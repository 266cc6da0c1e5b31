import * as E from "fp-ts/lib/Either.js";
import { orderStream } from "../domain/streams.js";
import type { EventStore } from "../ports/event-store.js";
import type { ReadModelStore } from "../ports/read-model-store.js";
import { assembledWithoutDelivery } from "../processes/assembled-without-delivery.js";
import { orderViewProjection } from "../projections/order-view.js";
import type { OrderId } from "../shared/codecs.js";
import { orderAggregate } from "./aggregates.js";
import type { CommandBus } from "./command-bus.js";
import type { CommandContext } from "./command-context.js";
import { loadAggregate } from "./load-aggregate.js";
import { readViews } from "./read-views.js";

export interface DeliverySweepReport {
  /** Orders a delivery was requested for by this sweep: each one a "lost order ready" (R3). */
  readonly requested: ReadonlyArray<OrderId>;
  /** The delivery existed after all (the order view lagged): nothing was written. */
  readonly alreadyRequested: ReadonlyArray<OrderId>;
  /** The view said assembled, the order's own stream no longer does (cancelled, handed over). */
  readonly skipped: ReadonlyArray<OrderId>;
  readonly failed: ReadonlyArray<{ readonly orderId: OrderId; readonly error: string }>;
}

/**
 * R3 once: every order the views show assembled for longer than the grace, with no delivery
 * event, gets a delivery requested. The view picks the candidates; the Order stream confirms each,
 * since the view may not have seen a cancellation yet. Requesting is idempotent in the Delivery
 * aggregate, so a sweep that races the process manager, or runs twice, writes nothing more.
 */
export const sweepMissingDeliveries = async (
  deps: {
    readonly readModels: ReadModelStore;
    readonly store: EventStore;
    readonly bus: CommandBus;
  },
  options: { readonly now: Date; readonly graceMs: number; readonly context: CommandContext },
): Promise<DeliverySweepReport> => {
  const views = await readViews(orderViewProjection, deps.readModels).all();
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
  return { requested, alreadyRequested, skipped, failed };
};
