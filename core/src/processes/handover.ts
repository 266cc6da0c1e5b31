import { Category } from "../domain/streams.js";
import { requestDelivery, toDelivery, toStockItem } from "./process-commands.js";
import { stateless } from "./stateless.js";

/**
 * The courier took the order: its reserved units leave the stock and the delivery is picked up.
 * The delivery is requested first because the handover may overtake the request (the warehouse
 * needs no delivery to hand over, and delivery-on-assembled may lag): a pickup of a delivery that
 * does not exist is refused, a request for one that does is a no-op.
 */
export const handover = stateless("handover", [Category.Order], ({ event }) => {
  if (event.type !== "OrderHandedToCourier") return [];
  const { orderId, courierId, lines } = event.data;
  return [
    ...lines.map(({ sku, lineId }) =>
      toStockItem({ type: "DispatchReservation", sku, orderId, lineId }),
    ),
    requestDelivery(orderId),
    toDelivery({ type: "PickUpDelivery", orderId, courierId }),
  ];
});
