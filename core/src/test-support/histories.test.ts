import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { domainEvents } from "../domain/events.js";
import { categoryOf, idOf } from "../domain/streams.js";
import { schemaVersionOf } from "../events/recorded-event.js";
import { EventMetadata } from "../shared/metadata.js";
import { canonicalJson } from "../testing/equality.js";
import { histories } from "./histories.js";
import { propertyRuns } from "./projection-laws.js";

describe("shop histories", () => {
  it("are numbered as a store numbers them", () => {
    fc.assert(
      fc.property(histories(), ({ events }) => {
        const next = new Map<string, bigint>();
        let position = 0n;
        const misnumbered = events.filter((e) => {
          const wrong = e.revision !== (next.get(e.streamName) ?? 0n) || e.position <= position;
          next.set(e.streamName, e.revision + 1n);
          position = e.position;
          return wrong;
        });
        expect(misnumbered).toEqual([]);
        expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
      }),
      propertyRuns,
    );
  });

  it("hold only events that survive storage, on the streams they name", () => {
    fc.assert(
      fc.property(histories(), ({ events }) => {
        const unfaithful = events.filter((e) => {
          const stored = JSON.parse(JSON.stringify(domainEvents.encode(e.event)));
          const data = e.event.data as { sku?: string; orderId?: string };
          const id = categoryOf(e.streamName) === "StockItem" ? data.sku : data.orderId;
          return (
            canonicalJson(
              domainEvents.decode(e.event.type, stored, schemaVersionOf(e.metadata)),
            ) !== canonicalJson(E.right(e.event)) ||
            E.isLeft(EventMetadata.decode(e.metadata)) ||
            idOf(e.streamName) !== id
          );
        });
        expect(unfaithful).toEqual([]);
      }),
      propertyRuns,
    );
  });

  it("tell every part of the shop's story, across many orders", () => {
    const seen = new Set<string>();
    const orders: number[] = [];
    fc.assert(
      fc.property(histories(), ({ events }) => {
        for (const e of events) seen.add(e.event.type);
        orders.push(
          new Set(
            events.filter((e) => categoryOf(e.streamName) === "Order").map((e) => e.streamName),
          ).size,
        );
      }),
      { numRuns: 100, seed: 42 },
    );
    expect([...seen].sort()).toEqual([...domainEvents.types].sort());
    expect(Math.max(...orders)).toBeGreaterThanOrEqual(5);
  });
});
