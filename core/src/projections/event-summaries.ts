import type { DeliveryEvent } from "../domain/delivery/events.js";
import type { OrderEvent } from "../domain/order/events.js";

/** Minor units as the shop writes money: one currency, two decimals. */
export const formatMoney = (minorUnits: number): string => (minorUnits / 100).toFixed(2);

/**
 * One line a person reads in an order's timeline; `undefined` for bookkeeping events that never
 * changed anything a person saw (an abandoned line was never on the order).
 */
export const summarize = (event: OrderEvent | DeliveryEvent): string | undefined => {
  switch (event.type) {
    case "OrderCreated":
      return "Order created";
    case "OrderItemAdded":
      return `Added ${event.data.quantity} × ${event.data.sku} at ${formatMoney(event.data.unitPrice)}`;
    case "OrderItemRemoved":
      return `Removed ${event.data.quantity} × ${event.data.sku}`;
    case "OrderLineAbandoned":
      return undefined;
    case "OrderPlaced":
      return `Order placed, total ${formatMoney(event.data.total)}`;
    case "OrderProcessingStarted":
      return "Warehouse started processing";
    case "OrderAssembled":
      return "Order assembled and ready for delivery";
    case "OrderHandedToCourier":
      return `Handed to courier ${event.data.courierId}`;
    case "OrderCancelled":
      return `Order cancelled: ${event.data.reason}`;
    case "DeliveryRequested":
      return "Delivery requested, awaiting a courier";
    case "CourierAssigned":
      return `Courier ${event.data.courierId} assigned`;
    case "DeliveryPickedUp":
      return `Picked up by courier ${event.data.courierId}`;
    case "DeliveryCompleted":
      return "Delivered";
    case "DeliveryFailed":
      return `Delivery failed: ${event.data.reason}`;
    case "DeliveryRescheduled":
      return "Delivery rescheduled, awaiting a courier";
    case "DeliveryRerequested":
      return "Delivery requested again, awaiting a courier";
    case "DeliveryCancelled":
      return `Delivery cancelled: ${event.data.reason}`;
  }
};
