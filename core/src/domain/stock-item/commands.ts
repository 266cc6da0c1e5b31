import * as t from "io-ts";
import { LineId, OrderId, Quantity, Sku } from "../../shared/codecs.js";
import { ReleaseReason } from "./events.js";

export const ReceiveStock = t.type({
  type: t.literal("ReceiveStock"),
  sku: Sku,
  quantity: Quantity,
});
export const ReserveStock = t.type({
  type: t.literal("ReserveStock"),
  sku: Sku,
  orderId: OrderId,
  lineId: LineId,
  quantity: Quantity,
});
export const ReleaseReservation = t.type({
  type: t.literal("ReleaseReservation"),
  sku: Sku,
  orderId: OrderId,
  lineId: LineId,
  reason: ReleaseReason,
});
export const DispatchReservation = t.type({
  type: t.literal("DispatchReservation"),
  sku: Sku,
  orderId: OrderId,
  lineId: LineId,
});

export const StockItemCommand = t.union([
  ReceiveStock,
  ReserveStock,
  ReleaseReservation,
  DispatchReservation,
]);
export type StockItemCommand = t.TypeOf<typeof StockItemCommand>;
