import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stockItemDecider } from "../domain/stock-item/stock-item.js";
import { order, stock } from "../test-support/events.js";
import { foldStreams, histories } from "../test-support/histories.js";
import { projectionLaws, propertyRuns } from "../test-support/projection-laws.js";
import { givenEvents, recordEvents } from "../testing/projection.js";
import { availabilityProjection, availableUnits } from "./availability.js";
import { replay } from "./projection.js";

const sofa = stock("SOFA-OSLO-3");

describe("availability", () => {
  it("counts units received, set aside, released and gone with the courier", () => {
    givenEvents(
      availabilityProjection,
      ...recordEvents([
        sofa.received(10),
        sofa.reserved("o-1", "l-1", 3),
        sofa.reserved("o-2", "l-2", 2),
        sofa.released("o-2", "l-2", 2, "order_cancelled"),
        sofa.dispatched("o-1", "l-1", 3),
      ]),
    ).thenDocument("SOFA-OSLO-3", {
      sku: "SOFA-OSLO-3",
      onHand: 7,
      reserved: 0,
      available: 7,
      updatedAt: "2026-01-05T09:04:00.000Z",
    });
  });

  it("shows what a reservation takes away at once", () => {
    givenEvents(
      availabilityProjection,
      ...recordEvents([sofa.received(2), sofa.reserved("o-1", "l-1", 2)]),
    )
      .thenDocument("SOFA-OSLO-3", { onHand: 2, reserved: 2, available: 0 })
      .thenQuery((docs) => availableUnits(docs[0]), 0);
  });

  it("keeps one document per SKU and ignores orders", () => {
    givenEvents(
      availabilityProjection,
      ...recordEvents([
        sofa.received(1),
        stock("CHAIR-LUND").received(4),
        order("o-1").created("cust-anna"),
      ]),
    ).thenDocuments({
      "SOFA-OSLO-3": { available: 1 },
      "CHAIR-LUND": { available: 4 },
    });
  });

  it("counts nothing available for a SKU it has never heard of", () => {
    expect(availableUnits(undefined)).toBe(0);
  });

  it("matches the StockItem aggregate's own counts over any history", () => {
    fc.assert(
      fc.property(histories(), ({ events }) => {
        const docs = [...replay(availabilityProjection, events)];
        const streams = [...foldStreams(events, "StockItem", stockItemDecider)];
        expect(
          Object.fromEntries(
            docs.map(([sku, { onHand, reserved, available }]) => [
              sku,
              { onHand, reserved, available },
            ]),
          ),
        ).toEqual(
          Object.fromEntries(
            streams.map(([sku, { onHand, reserved }]) => [
              sku,
              { onHand, reserved, available: onHand - reserved },
            ]),
          ),
        );
      }),
      propertyRuns,
    );
  });
});

projectionLaws(availabilityProjection);
