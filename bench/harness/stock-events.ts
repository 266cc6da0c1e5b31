import { randomUUID } from "node:crypto";
import { type EventToAppend, isoInstant } from "@mebel/core";

/**
 * The event at `revision` of a StockItem stream, as the warehouse writes them: a receipt of four
 * units, then four reservations each followed by its dispatch. Every reservation is dispatched
 * before the next receipt, so the folded state stays small however long the stream grows, which
 * is what a real, busy SKU looks like.
 */
export const stockEvent = (sku: string, revision: number): EventToAppend => {
  const step = revision % 9;
  const lineId = `line-${step % 2 === 1 ? revision : revision - 1}`;
  const reservation = { sku, orderId: `order-${lineId}`, lineId, quantity: 1 };
  return {
    eventId: randomUUID(),
    ...(step === 0
      ? { type: "StockReceived", data: { sku, quantity: 4 } }
      : step % 2 === 1
        ? { type: "StockReserved", data: reservation }
        : { type: "StockDispatched", data: reservation }),
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: isoInstant(new Date()),
    },
  };
};

/** Events `from` up to (not including) `to` of the stream of `sku`. */
export const stockEvents = (sku: string, from: number, to: number): EventToAppend[] =>
  Array.from({ length: to - from }, (_, i) => stockEvent(sku, from + i));

export const stockStream = (sku: string): string => `StockItem-${sku}`;

/** SKUs the benches write to: the Sku codec wants upper case, digits and dashes. */
export const benchSkus = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
