import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LineId, OrderId, Quantity, Sku } from "../../shared/codecs.js";
import { given } from "../../testing/decider.js";
import type { StockItemCommand } from "./commands.js";
import type { StockItemEvent } from "./events.js";
import { available, stockItemDecider as decider } from "./stock-item.js";

const sku = "SOFA-OSLO-3" as Sku;
const orderId = "o-1" as OrderId;
const line = (id: string) => id as LineId;
const qty = (n: number) => n as Quantity;

const received = (n: number): StockItemEvent => ({
  type: "StockReceived",
  data: { sku, quantity: qty(n) },
});
const reserved = (lineId: string, n: number, order = orderId): StockItemEvent => ({
  type: "StockReserved",
  data: { sku, orderId: order, lineId: line(lineId), quantity: qty(n) },
});

describe("StockItem", () => {
  it("receives stock", () => {
    given(decider)
      .when({ type: "ReceiveStock", sku, quantity: qty(5) })
      .thenEvents(received(5));
  });

  it("reserves what is available", () => {
    const state = given(decider, received(5))
      .when({ type: "ReserveStock", sku, orderId, lineId: line("l1"), quantity: qty(5) })
      .thenEvents(reserved("l1", 5));
    expect(available(state)).toBe(0);
  });

  it("takes line ids that name what every object inherits as ids like any other", () => {
    for (const id of ["constructor", "toString", "valueOf"]) {
      given(decider, received(5))
        .when({ type: "ReserveStock", sku, orderId, lineId: line(id), quantity: qty(1) })
        .thenEvents(reserved(id, 1));
      given(decider, received(5))
        .when({
          type: "ReleaseReservation",
          sku,
          orderId,
          lineId: line(id),
          reason: "item_removed",
        })
        .thenEvents();
    }
  });

  it("refuses to reserve more than is available", () => {
    const error = given(decider, received(5), reserved("l1", 3))
      .when({ type: "ReserveStock", sku, orderId, lineId: line("l2"), quantity: qty(3) })
      .thenRejects("INSUFFICIENT_STOCK");
    expect(error.details).toEqual({ sku, requested: 3, available: 2 });
  });

  it("treats an item never received as having nothing available", () => {
    given(decider)
      .when({ type: "ReserveStock", sku, orderId, lineId: line("l1"), quantity: qty(1) })
      .thenRejects("INSUFFICIENT_STOCK");
  });

  it("reserves a line once, however often asked", () => {
    given(decider, received(5), reserved("l1", 2))
      .when({ type: "ReserveStock", sku, orderId, lineId: line("l1"), quantity: qty(2) })
      .thenEvents();
  });

  it("refuses a different reservation under a line id already in use", () => {
    given(decider, received(5), reserved("l1", 2))
      .when({ type: "ReserveStock", sku, orderId, lineId: line("l1"), quantity: qty(3) })
      .thenRejects("RESERVATION_CONFLICT");
  });

  it("releases a held reservation with its quantity", () => {
    given(decider, received(5), reserved("l1", 2))
      .when({
        type: "ReleaseReservation",
        sku,
        orderId,
        lineId: line("l1"),
        reason: "item_removed",
      })
      .thenEvents({
        type: "StockReservationReleased",
        data: { sku, orderId, lineId: line("l1"), quantity: qty(2), reason: "item_removed" },
      });
  });

  it("releases nothing that is not held, or held for another order", () => {
    given(decider, received(5), reserved("l1", 2, "o-2" as OrderId))
      .when({ type: "ReleaseReservation", sku, orderId, lineId: line("l1"), reason: "abandoned" })
      .thenEvents();
    given(decider, received(5))
      .when({ type: "ReleaseReservation", sku, orderId, lineId: line("l9"), reason: "abandoned" })
      .thenEvents();
  });

  it("dispatches a held reservation: on hand and reserved both drop", () => {
    const state = given(decider, received(5), reserved("l1", 2))
      .when({ type: "DispatchReservation", sku, orderId, lineId: line("l1") })
      .thenEvents({
        type: "StockDispatched",
        data: { sku, orderId, lineId: line("l1"), quantity: qty(2) },
      });
    expect(state).toMatchObject({ onHand: 3, reserved: 0 });
    expect([...state.reservations]).toEqual([]);
  });

  it("dispatches nothing that is not held", () => {
    given(decider, received(5))
      .when({ type: "DispatchReservation", sku, orderId, lineId: line("l1") })
      .thenEvents();
  });

  it("refuses to release or dispatch on a stock item that was never stocked", () => {
    // Nothing can be held there, so the stream was looked for in the wrong place: not a no-op.
    given(decider)
      .when({ type: "ReleaseReservation", sku, orderId, lineId: line("l1"), reason: "abandoned" })
      .thenRejects("STOCK_ITEM_NOT_FOUND");
    given(decider)
      .when({ type: "DispatchReservation", sku, orderId, lineId: line("l1") })
      .thenRejects("STOCK_ITEM_NOT_FOUND");
  });

  it("refuses commands for another sku", () => {
    given(decider, received(5))
      .when({ type: "ReceiveStock", sku: "BED-KING" as Sku, quantity: qty(1) })
      .thenRejects("SKU_MISMATCH");
  });
});

const command: fc.Arbitrary<StockItemCommand> = (() => {
  const lineId = fc.constantFrom(...["a", "b", "c", "d", "e", "f"].map(line));
  const order = fc.constantFrom("o-1", "o-2").map((o) => o as OrderId);
  const quantity = fc.integer({ min: 1, max: 6 }).map(qty);
  return fc.oneof(
    fc.record({ type: fc.constant("ReceiveStock" as const), sku: fc.constant(sku), quantity }),
    fc.record({
      type: fc.constant("ReserveStock" as const),
      sku: fc.constant(sku),
      orderId: order,
      lineId,
      quantity,
    }),
    fc.record({
      type: fc.constant("ReleaseReservation" as const),
      sku: fc.constant(sku),
      orderId: order,
      lineId,
      reason: fc.constantFrom("item_removed", "order_cancelled", "line_rejected", "abandoned"),
    }),
    fc.record({
      type: fc.constant("DispatchReservation" as const),
      sku: fc.constant(sku),
      orderId: order,
      lineId,
    }),
  );
})();

describe("StockItem invariants under any command sequence", () => {
  it("never has negative availability, and available is on hand minus what is reserved", () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        let state = decider.initialState;
        for (const c of commands) {
          const decision = decider.decide(c, state);
          if (decision._tag === "Left") continue;
          state = decision.right.reduce(decider.evolve, state);
          const held = [...state.reservations].reduce((sum, r) => sum + r.quantity, 0);
          expect(available(state)).toBeGreaterThanOrEqual(0);
          expect(state.reserved).toBe(held);
          expect(available(state)).toBe(state.onHand - held);
          expect(state.onHand).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
