import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import {
  CourierId,
  CustomerId,
  LineId,
  MinorUnits,
  OrderId,
  Quantity,
  Sku,
} from "../shared/codecs.js";
import type { DeliveryState } from "./delivery/delivery.js";
import { DeliveryWindow } from "./delivery/delivery-window.js";
import type { OrderState } from "./order/order.js";
import {
  fromList,
  type LiveReservations,
  listOf,
  type Reservation,
} from "./stock-item/live-reservations.js";
import type { StockItemState } from "./stock-item/stock-item.js";

// Codecs for aggregate states, so a snapshot read back from storage is checked like any other
// stored bytes. Each is pinned to its state type: a field added to the state without its codec
// fails to compile here.

const count = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, "Count");

const ReservationList = t.readonlyArray(
  t.type({ lineId: LineId, orderId: OrderId, quantity: Quantity }),
);

/** Stored as the list of reservations it always was, so snapshots kept their shape. */
const LiveReservationsCodec = new t.Type<LiveReservations, ReadonlyArray<Reservation>, unknown>(
  "LiveReservations",
  (u): u is LiveReservations =>
    typeof u === "object" && u !== null && "root" in u && Array.isArray(u.root),
  (u, context) => {
    const list = ReservationList.validate(u, context);
    if (E.isLeft(list)) return list;
    // A line listed twice is damage: folding the list would quietly keep one of them.
    const held = fromList(list.right);
    return held.size === list.right.length
      ? t.success(held)
      : t.failure(u, context, "a line listed twice");
  },
  listOf,
);

export const StockItemStateCodec: t.Type<StockItemState, unknown, unknown> = t.type({
  sku: t.union([Sku, t.null]),
  onHand: count,
  reserved: count,
  reservations: LiveReservationsCodec,
});

const orderStatus = t.keyof({
  draft: null,
  placed: null,
  processing: null,
  assembled: null,
  handed_to_courier: null,
  cancelled: null,
});

export const OrderStateCodec: t.Type<OrderState, unknown, unknown> = t.union([
  t.type({ status: t.literal("none") }),
  t.type({
    status: orderStatus,
    orderId: OrderId,
    customerId: CustomerId,
    lines: t.record(t.string, t.type({ sku: Sku, quantity: Quantity, unitPrice: MinorUnits })),
    abandoned: t.record(t.string, t.literal(true)),
    courierId: t.union([CourierId, t.null]),
  }),
]);

export const DeliveryStateCodec: t.Type<DeliveryState, unknown, unknown> = t.union([
  t.type({ status: t.literal("none") }),
  t.type({
    status: t.keyof({
      awaiting_courier: null,
      assigned: null,
      picked_up: null,
      completed: null,
      failed: null,
      cancelled: null,
    }),
    orderId: OrderId,
    courierId: t.union([CourierId, t.null]),
    window: t.union([DeliveryWindow, t.null]),
  }),
]);
