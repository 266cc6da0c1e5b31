import * as E from "fp-ts/lib/Either.js";
import { orderStream } from "../domain/streams.js";
import type { EventStore } from "../ports/event-store.js";
import type { CourierId, OrderId } from "../shared/codecs.js";
import { domainError } from "../shared/domain-error.js";
import { orderAggregate } from "./aggregates.js";
import type { CommandBus } from "./command-bus.js";
import type { CommandContext } from "./command-context.js";
import type { HandleOptions } from "./command-handler.js";
import type { RerequestOutcome } from "./delivery-rerequest.js";
import { loadAggregate } from "./load-aggregate.js";

/**
 * A courier says they took the goods. The first time, that is the order's handover too, decided on
 * the Order stream before the delivery is touched: the Order stream orders it against a
 * cancellation, so goods never leave with a courier for a cancelled order (and stock is dispatched
 * by the handover's manager, as when the warehouse hands over). A delivery tried again after a
 * handover (rescheduled, re-requested) is picked up on its own stream alone: the order is with the
 * couriers already. `options` (the delivery's expected revision) guard the delivery's step.
 */
export const pickUpDelivery = async (
  deps: { readonly store: EventStore; readonly bus: CommandBus },
  orderId: OrderId,
  courierId: CourierId,
  context: CommandContext,
  options: HandleOptions = {},
): Promise<RerequestOutcome> => {
  const order = await loadAggregate(deps.store, orderAggregate, orderStream(orderId));
  if (E.isLeft(order)) return order;
  const status = order.right.state.status;
  if (status === "assembled") {
    const handed = await deps.bus.order({ type: "HandToCourier", orderId, courierId }, context)();
    if (E.isLeft(handed)) return handed;
  } else if (status !== "handed_to_courier") {
    return E.left(
      domainError("ORDER_NOT_DELIVERABLE", `Order ${orderId} is ${status}: it cannot leave now.`, {
        orderId,
        status,
      }),
    );
  }
  return deps.bus.delivery({ type: "PickUpDelivery", orderId, courierId }, context, options)();
};
