import * as E from "fp-ts/lib/Either.js";
import type { DeliveryState } from "../domain/delivery/delivery.js";
import type { DeliveryEvent } from "../domain/delivery/events.js";
import type { OrderStatus } from "../domain/order/order.js";
import { orderStream } from "../domain/streams.js";
import type { EventStore } from "../ports/event-store.js";
import type { OrderId, Text } from "../shared/codecs.js";
import { type DomainError, domainError } from "../shared/domain-error.js";
import { orderAggregate } from "./aggregates.js";
import type { CommandBus } from "./command-bus.js";
import type { CommandContext } from "./command-context.js";
import type { Handled, HandleOptions } from "./command-handler.js";
import { loadAggregate } from "./load-aggregate.js";

/** An order still to be delivered: ready (assembled), or with the courier since its handover. */
export const wantsDelivering = (status: OrderStatus | "none"): boolean =>
  status === "assembled" || status === "handed_to_courier";

export type RerequestOutcome = E.Either<DomainError, Handled<DeliveryEvent, DeliveryState>>;

const orderStatus = async (store: EventStore, orderId: OrderId) =>
  E.map((at: { state: { status: OrderStatus | "none" } }) => at.state.status)(
    await loadAggregate(store, orderAggregate, orderStream(orderId)),
  );

/** Said when the order cancelled meanwhile wins over a re-request that got in first. */
export const WITHDRAWN_REASON =
  "The order was cancelled while its delivery was requested again" as Text;

/**
 * Asks again for the delivery of an order whose delivery failed or was cancelled by hand, by staff
 * or the sweep. At most one live delivery per order holds by construction: one Delivery stream per
 * order, whose decider takes a re-request of a live delivery as already satisfied, and whose
 * expected revision lets only one of two concurrent re-requests append (the other decides again
 * and finds it live), across instances too.
 *
 * Whether the order still wants delivering is the Order stream's to say, read before and again
 * after the append: an order cancelled in between either reaches delivery-on-assembled after the
 * append (which cancels the delivery again) or was appended before it, so the second read sees it
 * and this cancels the delivery itself. A cancelled order never keeps a live delivery.
 */
export const rerequestDelivery = async (
  deps: { readonly store: EventStore; readonly bus: CommandBus },
  orderId: OrderId,
  context: CommandContext,
  options: HandleOptions = {},
): Promise<RerequestOutcome> => {
  const before = await orderStatus(deps.store, orderId);
  if (E.isLeft(before)) return before;
  if (!wantsDelivering(before.right)) {
    return E.left(
      domainError(
        "ORDER_NOT_DELIVERABLE",
        `Order ${orderId} is ${before.right === "none" ? "unknown" : before.right}: it is not to be delivered.`,
        { orderId, status: before.right },
      ),
    );
  }
  const handled = await deps.bus.delivery(
    { type: "RerequestDelivery", orderId },
    context,
    options,
  )();
  if (E.isLeft(handled) || handled.right.events.length === 0) return handled;
  const after = await orderStatus(deps.store, orderId);
  if (E.isRight(after) && after.right === "cancelled") {
    return deps.bus.delivery(
      { type: "CancelDelivery", orderId, reason: WITHDRAWN_REASON },
      context,
    )();
  }
  return handled;
};
