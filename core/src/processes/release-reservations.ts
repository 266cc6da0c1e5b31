import { Category } from "../domain/streams.js";
import { toStockItem } from "./process-commands.js";
import { stateless } from "./stateless.js";

/** Units held for lines that are gone go back on the shelf. */
export const releaseReservations = stateless(
  "release-reservations",
  [Category.Order],
  ({ event }) => {
    switch (event.type) {
      case "OrderCancelled": {
        const { orderId, lines } = event.data;
        return lines.map(({ sku, lineId }) =>
          toStockItem({
            type: "ReleaseReservation",
            sku,
            orderId,
            lineId,
            reason: "order_cancelled",
          }),
        );
      }
      case "OrderItemRemoved": {
        const { orderId, sku, lineId } = event.data;
        return [
          toStockItem({ type: "ReleaseReservation", sku, orderId, lineId, reason: "item_removed" }),
        ];
      }
      default:
        return [];
    }
  },
);
