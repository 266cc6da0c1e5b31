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
import { type EventsOf, eventRegistry, versioned } from "../../shared/event-registry.js";
import { addressFromLine, DeliveryAddress } from "./delivery-address.js";

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
  /**
   * v2: the delivery address is structured. v1 held one free-text string, which becomes the
   * address's `line`, nothing guessed into fields (docs/events.md, how to evolve an event).
   */
  OrderPlaced: versioned(
    t.type({ orderId: OrderId, deliveryAddress: DeliveryAddress, total: MinorUnits }),
    [
      {
        codec: t.type({ orderId: OrderId, deliveryAddress: Text, total: MinorUnits }),
        upcast: (v1: { orderId: OrderId; deliveryAddress: Text; total: MinorUnits }) => ({
          ...v1,
          deliveryAddress: addressFromLine(v1.deliveryAddress),
        }),
      },
    ],
  ),
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
