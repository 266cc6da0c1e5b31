import { Category } from "../domain/streams.js";
import { requestDelivery, toDelivery } from "./process-commands.js";
import { stateless } from "./stateless.js";

/**
 * The order's delivery follows the order: an assembled order is ready to go (ask delivery for a
 * courier, one delivery per order), a cancelled one is not going anywhere (cancel its delivery,
 * freeing the courier; a no-op when none was requested).
 *
 * Both reactions are one manager on purpose: one subscriber handles OrderAssembled and
 * OrderCancelled in the log's order and sends their commands in that order, so the cancellation
 * always finds the delivery the assembly asked for. Two managers could cancel first (a no-op)
 * and request after, leaving a delivery behind for a cancelled order. Its name is still
 * `delivery-on-assembled`, so it resumes from that manager's checkpoint.
 */
export const deliveryOnAssembled = stateless(
  "delivery-on-assembled",
  [Category.Order],
  ({ event }) => {
    switch (event.type) {
      case "OrderAssembled":
        return [requestDelivery(event.data.orderId)];
      case "OrderCancelled": {
        const { orderId, reason } = event.data;
        return [toDelivery({ type: "CancelDelivery", orderId, reason })];
      }
      default:
        return [];
    }
  },
);
