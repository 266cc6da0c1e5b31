import { describe, expect, it } from "vitest";
import { availabilityProjection } from "../projections/availability.js";
import { stock } from "../test-support/events.js";
import { assertSameJson, givenEvents, jsonDifferences, recordEvents } from "./projection.js";

const sofa = stock("SOFA-OSLO-3");

describe("projection given/then helpers", () => {
  it("record events as a store would: revisions per stream, positions, ids and times", () => {
    const events = recordEvents(
      [
        sofa.received(1),
        stock("CHAIR-LUND").received(2),
        { ...sofa.received(3), at: "2026-02-01T10:00:00.000Z" },
        sofa.received(4),
      ],
      { startAt: "2026-02-01T09:00:00.000Z" },
    );
    expect(
      events.map((e) => [e.streamName, e.revision, e.position, e.eventId, e.metadata.occurredAt]),
    ).toEqual([
      ["StockItem-SOFA-OSLO-3", 0n, 1n, "StockItem-SOFA-OSLO-3@0", "2026-02-01T09:00:00.000Z"],
      ["StockItem-CHAIR-LUND", 0n, 2n, "StockItem-CHAIR-LUND@0", "2026-02-01T09:01:00.000Z"],
      ["StockItem-SOFA-OSLO-3", 1n, 3n, "StockItem-SOFA-OSLO-3@1", "2026-02-01T10:00:00.000Z"],
      ["StockItem-SOFA-OSLO-3", 2n, 4n, "StockItem-SOFA-OSLO-3@2", "2026-02-01T10:01:00.000Z"],
    ]);
  });

  it("refuse a fixture whose data does not fit its event", () => {
    expect(() =>
      recordEvents([
        { stream: "StockItem-X", type: "StockReceived", data: { sku: "X", quantity: 0 } },
      ]),
    ).toThrow(/StockReceived on StockItem-X\) does not decode/);
  });

  it("name each difference by its path", () => {
    expect(
      jsonDifferences(
        { status: "placed", lines: [{ quantity: 2 }], extra: 1 },
        { status: "draft", lines: [{ quantity: 3 }, { quantity: 1 }] },
      ),
    ).toEqual([
      "extra: expected nothing, actual 1",
      "lines[0].quantity: expected 3, actual 2",
      'lines[1]: expected {"quantity":1}, actual nothing',
      'status: expected "draft", actual "placed"',
    ]);
    expect(jsonDifferences(new Map([["a", 1n]]), { a: 1n })).toEqual([]);
  });

  it("say what differs in a document, and show it", () => {
    const outcome = givenEvents(availabilityProjection, ...recordEvents([sofa.received(3)]));
    expect(() => outcome.thenDocument("SOFA-OSLO-3", { available: 2, reserved: 0 })).toThrow(
      'availability document "SOFA-OSLO-3" is not as expected:\n  available: expected 2, actual 3\n--- actual\n{\n  "available": 3,\n  "reserved": 0\n}',
    );
  });

  it("compare only the fields named, and every key when asked for all documents", () => {
    const outcome = givenEvents(availabilityProjection, ...recordEvents([sofa.received(3)]));
    outcome.thenDocument("SOFA-OSLO-3", { available: 3 }).thenNoDocument("CHAIR-LUND");
    expect(() => outcome.thenDocuments({ "CHAIR-LUND": {} })).toThrow(
      /availability keys is not as expected/,
    );
    expect(() => outcome.thenDocument("CHAIR-LUND", {})).toThrow(
      'availability has no document "CHAIR-LUND"; it has ["SOFA-OSLO-3"]',
    );
    expect(() => outcome.thenNoDocument("SOFA-OSLO-3")).toThrow(/exists/);
  });

  it("catch a document that does not survive storage", () => {
    const broken = {
      ...availabilityProjection,
      apply: () => ({ revisions: {}, when: new Date(0) }) as never,
    };
    expect(() => givenEvents(broken, ...recordEvents([sofa.received(3)]))).toThrow(
      /does not decode after storing/,
    );
  });

  it("throw plain Errors any test runner reports", () => {
    expect(() => assertSameJson([1], [2], "numbers")).toThrow(Error);
  });
});
