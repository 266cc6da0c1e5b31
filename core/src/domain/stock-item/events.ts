import * as t from "io-ts";
import { LineId, OrderId, Quantity, Sku } from "../../shared/codecs.js";
import { type EventsOf, eventRegistry } from "../../shared/event-registry.js";

export const ReleaseReason = t.keyof({
  item_removed: null,
  order_cancelled: null,
  line_rejected: null,
  abandoned: null,
});
export type ReleaseReason = t.TypeOf<typeof ReleaseReason>;

const reservation = { sku: Sku, orderId: OrderId, lineId: LineId, quantity: Quantity };

export const stockItemEventCodecs = {
  StockReceived: t.type({ sku: Sku, quantity: Quantity }),
  /** Units set aside for one order line; `lineId` makes the reservation idempotent. */
  StockReserved: t.type(reservation),
  StockReservationReleased: t.type({ ...reservation, reason: ReleaseReason }),
  /** Reserved units left the building with the courier: on hand and reserved both drop. */
  StockDispatched: t.type(reservation),
};

export const stockItemEvents = eventRegistry(stockItemEventCodecs);
export type StockItemEvent = EventsOf<typeof stockItemEventCodecs>;
