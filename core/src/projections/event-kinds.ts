import type { DeliveryEvent } from "../domain/delivery/events.js";
import { deliveryEvents } from "../domain/delivery/events.js";
import type { DomainEvent } from "../domain/events.js";
import type { OrderEvent } from "../domain/order/events.js";
import { orderEvents } from "../domain/order/events.js";
import type { StockItemEvent } from "../domain/stock-item/events.js";
import { stockItemEvents } from "../domain/stock-item/events.js";
import type { OrderId } from "../shared/codecs.js";

export const isOrderEvent = (event: DomainEvent): event is OrderEvent =>
  orderEvents.has(event.type);

export const isDeliveryEvent = (event: DomainEvent): event is DeliveryEvent =>
  deliveryEvents.has(event.type);

export const isStockItemEvent = (event: DomainEvent): event is StockItemEvent =>
  stockItemEvents.has(event.type);

/** The order an Order or Delivery event is about; Delivery streams are keyed by order. */
export const orderIdOf = (event: DomainEvent): OrderId | undefined =>
  isOrderEvent(event) || isDeliveryEvent(event) ? event.data.orderId : undefined;

/** `keysOf` of a projection keyed by order: one document per order id. */
export const byOrderId = (recorded: { readonly event: DomainEvent }): ReadonlyArray<string> => {
  const orderId = orderIdOf(recorded.event);
  return orderId === undefined ? [] : [orderId];
};
