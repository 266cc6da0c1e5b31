import * as t from "io-ts";
import {
  CourierId,
  CustomerId,
  LineId,
  MinorUnits,
  OrderId,
  Quantity,
  Sku,
  Text,
} from "../../shared/codecs.js";
import { type EventsOf, eventRegistry } from "../../shared/event-registry.js";

export const OrderLineRef = t.type({ lineId: LineId, sku: Sku, quantity: Quantity });
export type OrderLineRef = t.TypeOf<typeof OrderLineRef>;

export const orderEventCodecs = {
  OrderCreated: t.type({ orderId: OrderId, customerId: CustomerId }),
  OrderItemAdded: t.type({
    orderId: OrderId,
    lineId: LineId,
    sku: Sku,
    quantity: Quantity,
    unitPrice: MinorUnits,
  }),
  OrderItemRemoved: t.type({ orderId: OrderId, lineId: LineId, sku: Sku, quantity: Quantity }),
  /**
   * A reservation was made for this line but the line never arrived (the adding process died).
   * Fences the line id: a late attempt to add it is refused, so the orphan sweep may release.
   */
  OrderLineAbandoned: t.type({ orderId: OrderId, lineId: LineId }),
  OrderPlaced: t.type({ orderId: OrderId, deliveryAddress: Text, total: MinorUnits }),
  OrderProcessingStarted: t.type({ orderId: OrderId }),
  OrderAssembled: t.type({ orderId: OrderId }),
  /** Carries the lines, so stock can be dispatched without reading the order back. */
  OrderHandedToCourier: t.type({
    orderId: OrderId,
    courierId: CourierId,
    lines: t.readonlyArray(OrderLineRef),
  }),
  /** Carries the lines, so their reservations can be released without reading the order back. */
  OrderCancelled: t.type({ orderId: OrderId, reason: Text, lines: t.readonlyArray(OrderLineRef) }),
};

export const orderEvents = eventRegistry(orderEventCodecs);
export type OrderEvent = EventsOf<typeof orderEventCodecs>;
