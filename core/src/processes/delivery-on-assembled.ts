import { Category } from "../domain/streams.js";
import { requestDelivery } from "./process-commands.js";
import { stateless } from "./stateless.js";

/** An assembled order is ready to go: ask delivery for a courier (one delivery per order). */
export const deliveryOnAssembled = stateless(
  "delivery-on-assembled",
  [Category.Order],
  ({ event }) => (event.type === "OrderAssembled" ? [requestDelivery(event.data.orderId)] : []),
);
