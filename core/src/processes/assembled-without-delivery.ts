import { olderThan, oldestFirst } from "../projections/instants.js";
import type { OrderView } from "../projections/order-view.js";
import type { IsoInstant } from "../shared/codecs.js";
import { type DeliveryRequest, requestDelivery } from "./process-commands.js";

type AssembledOrder = OrderView & { readonly assembledAt: IsoInstant };

/**
 * R3's reconciliation: orders assembled longer ago than the grace that no delivery event has
 * reached. Status `assembled` says exactly that, since any delivery event, handover or
 * cancellation moves the site status past it. Oldest first; requesting twice is a no-op.
 */
export const assembledWithoutDelivery = (
  orderViews: Iterable<OrderView>,
  now: Date,
  graceMs: number,
): ReadonlyArray<DeliveryRequest> =>
  [...orderViews]
    .filter(
      (o): o is AssembledOrder =>
        o.status === "assembled" &&
        o.assembledAt !== null &&
        olderThan(o.assembledAt, now, graceMs),
    )
    .sort(
      oldestFirst(
        (o) => o.assembledAt,
        (o) => o.orderId,
      ),
    )
    .map((o) => requestDelivery(o.orderId));
