import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stockItemDecider } from "../domain/stock-item/stock-item.js";
import { at, order, stock } from "../test-support/events.js";
import { foldStreams, histories } from "../test-support/histories.js";
import { projectionLaws, propertyRuns } from "../test-support/projection-laws.js";
import { type EventInput, givenEvents, recordEvents } from "../testing/projection.js";
import { replay } from "./projection.js";
import {
  findOrphanedReservations,
  type ReservationEntry,
  reservationLedgerProjection,
  reservationsOfOrder,
} from "./reservation-ledger.js";

const o1 = order("o-1");
const sofa = stock("SOFA-OSLO-3");
const line = { lineId: "l-1", sku: "SOFA-OSLO-3", quantity: 2 };
const GRACE = 30_000;
const given = (...events: ReadonlyArray<EventInput>) =>
  givenEvents(reservationLedgerProjection, ...recordEvents(events));
/** The sweep fenced the line and released its units. */
const sweptOrphan = [
  sofa.reserved("o-1", "l-1", 2),
  o1.lineAbandoned("l-1"),
  sofa.released("o-1", "l-1", 2, "abandoned"),
];
const orphanL1 = [{ sku: "SOFA-OSLO-3", orderId: "o-1", lineId: "l-1" }];
const orphansAt = (now: string) => (docs: Iterable<ReservationEntry>) =>
  findOrphanedReservations(docs, new Date(now), GRACE);

describe("reservation ledger", () => {
  it("attaches a reservation to the order line added for it", () => {
    given(
      o1.created("cust-anna"),
      sofa.reserved("o-1", "l-1", 2),
      o1.itemAdded("l-1", "SOFA-OSLO-3", 2, 100),
    )
      .thenDocuments({
        "l-1": {
          lineId: "l-1",
          orderId: "o-1",
          sku: "SOFA-OSLO-3",
          quantity: 2,
          reservedAt: "2026-01-05T09:01:00.000Z",
          stock: "reserved",
          line: "added",
          state: "attached",
          since: "2026-01-05T09:02:00.000Z",
        },
      })
      .thenQuery(orphansAt("2026-01-05T12:00:00.000Z"), []);
  });

  it("attaches them just the same when the line is seen before its reservation", () => {
    given(o1.itemAdded("l-1", "SOFA-OSLO-3", 2, 100), sofa.reserved("o-1", "l-1", 2)).thenDocument(
      "l-1",
      { state: "attached", quantity: 2, reservedAt: "2026-01-05T09:01:00.000Z" },
    );
  });

  it("finds a reservation whose line never came, once the grace has passed", () => {
    given(
      at("2026-01-05T10:00:00.000Z", sofa.reserved("o-1", "l-1", 2)),
      sofa.reserved("o-2", "l-2", 1),
      order("o-2").itemAdded("l-2", "SOFA-OSLO-3", 1, 100),
    )
      .thenDocument("l-1", { state: "reserved" })
      .thenQuery(orphansAt("2026-01-05T10:00:30.000Z"), [])
      .thenQuery(orphansAt("2026-01-05T10:00:30.001Z"), orphanL1);
  });

  it("settles an orphan the sweep fenced and released", () => {
    given(...sweptOrphan)
      .thenDocument("l-1", {
        line: "abandoned",
        stock: "released",
        state: "released",
        releaseReason: "abandoned",
      })
      .thenQuery(orphansAt("2026-01-06T09:00:00.000Z"), []);
  });

  it("finds a fenced line reserved again by a late retry that died before releasing", () => {
    given(...sweptOrphan, at("2026-01-05T11:00:00.000Z", sofa.reserved("o-1", "l-1", 2)))
      .thenDocument("l-1", {
        state: "abandoned",
        reservedAt: "2026-01-05T11:00:00.000Z",
        releaseReason: null,
      })
      .thenQuery(orphansAt("2026-01-05T11:01:00.000Z"), orphanL1);
  });

  it("waits for the release after a removal, and finds the reservation if it never comes", () => {
    const removed = [
      sofa.reserved("o-1", "l-1", 2),
      o1.itemAdded("l-1", "SOFA-OSLO-3", 2, 100),
      at("2026-01-05T10:00:00.000Z", o1.itemRemoved("l-1", "SOFA-OSLO-3", 2)),
    ];
    given(...removed)
      .thenDocument("l-1", { state: "removed", since: "2026-01-05T10:00:00.000Z" })
      .thenQuery(orphansAt("2026-01-05T10:00:10.000Z"), [])
      .thenQuery(orphansAt("2026-01-05T10:01:00.000Z"), orphanL1);
    given(...removed, sofa.released("o-1", "l-1", 2, "item_removed")).thenDocument("l-1", {
      state: "released",
      releaseReason: "item_removed",
    });
  });

  it("releases every line of a cancelled order", () => {
    given(
      sofa.reserved("o-1", "l-1", 2),
      o1.itemAdded("l-1", "SOFA-OSLO-3", 2, 100),
      stock("CHAIR-LUND").reserved("o-1", "l-2", 1),
      o1.itemAdded("l-2", "CHAIR-LUND", 1, 100),
      o1.cancelled("Payment declined", line, { lineId: "l-2", sku: "CHAIR-LUND", quantity: 1 }),
      sofa.released("o-1", "l-1", 2, "order_cancelled"),
    )
      .thenDocument("l-1", { state: "released" })
      .thenDocument("l-2", { line: "cancelled", state: "cancelled" });
  });

  it("dispatches the lines the courier took", () => {
    given(
      sofa.reserved("o-1", "l-1", 2),
      o1.itemAdded("l-1", "SOFA-OSLO-3", 2, 100),
      o1.handedToCourier("courier-ivan", line),
    )
      .thenDocument("l-1", { line: "handed_over", state: "attached" })
      .thenQuery(orphansAt("2026-01-06T09:00:00.000Z"), []);
    given(
      sofa.reserved("o-1", "l-1", 2),
      o1.itemAdded("l-1", "SOFA-OSLO-3", 2, 100),
      o1.handedToCourier("courier-ivan", line),
      sofa.dispatched("o-1", "l-1", 2),
    ).thenDocument("l-1", { state: "dispatched" });
  });

  it("knows a line the order spoke of before any reservation was seen, without calling it an orphan", () => {
    given(o1.lineAbandoned("l-1"))
      .thenDocument("l-1", { sku: null, quantity: null, state: "unreserved" })
      .thenQuery(orphansAt("2026-01-06T09:00:00.000Z"), []);
  });

  it("lists an order's reservations", () => {
    given(
      sofa.reserved("o-1", "l-1", 2),
      sofa.reserved("o-2", "l-2", 1),
      stock("CHAIR-LUND").reserved("o-1", "l-3", 1),
      sofa.received(5),
    ).thenQuery(
      (docs) => reservationsOfOrder(docs, "o-1").map((r) => `${r.lineId} ${r.sku}`),
      ["l-1 SOFA-OSLO-3", "l-3 CHAIR-LUND"],
    );
  });

  it("holds exactly the reservations the StockItem aggregates hold, over any history", () => {
    fc.assert(
      fc.property(histories(), ({ events }) => {
        const held = [...foldStreams(events, "StockItem", stockItemDecider).values()]
          .flatMap((s) => [...s.reservations].map((r) => r.lineId))
          .sort();
        const ledger = [...replay(reservationLedgerProjection, events).values()];
        expect(
          ledger
            .filter((e) => e.stock === "reserved")
            .map((e) => e.lineId)
            .sort(),
        ).toEqual(held);
      }),
      propertyRuns,
    );
  });

  it("leaks nothing once the managers and the sweep have caught up: every reservation ends attached, released or dispatched", () => {
    fc.assert(
      fc.property(histories({ settled: true }), ({ events, end }) => {
        const ledger = [...replay(reservationLedgerProjection, events).values()];
        expect(findOrphanedReservations(ledger, end, 0)).toEqual([]);
        const unsettled = ledger.filter(
          (entry) =>
            !["attached", "released", "dispatched"].includes(entry.state) ||
            (entry.line === "handed_over" && entry.state !== "dispatched"),
        );
        expect(unsettled).toEqual([]);
      }),
      propertyRuns,
    );
  });
});

projectionLaws(reservationLedgerProjection);
