import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import {
  applyEvent,
  type DomainRecordedEvent,
  type Projection,
  replay,
  type Versioned,
} from "../projections/projection.js";
import { histories } from "./histories.js";

/** Enough runs to find what histories can show, few enough for a suite that runs in seconds. */
export const propertyRuns = { numRuns: 60 } as const;

/** Documents in key order, for comparing read models built in different ways. */
export const byKey = <View>(docs: ReadonlyMap<string, View>): Record<string, View> =>
  Object.fromEntries([...docs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The events with some delivered again: each pick copies one event and puts the copy right after
 * it or anywhere later, as a redelivery after a crash or a replayed batch would.
 */
export const withRedeliveries = (
  events: ReadonlyArray<DomainRecordedEvent>,
  picks: ReadonlyArray<readonly [number, number]>,
): ReadonlyArray<DomainRecordedEvent> => {
  if (events.length === 0) return events;
  const after = new Map<number, DomainRecordedEvent[]>();
  for (const [which, delay] of picks) {
    const source = which % events.length;
    const at = source + (delay % (events.length - source));
    after.set(at, [...(after.get(at) ?? []), events[source] as DomainRecordedEvent]);
  }
  return events.flatMap((event, i) => [event, ...(after.get(i) ?? [])]);
};

/** A document as a store keeps it: encoded, written as JSON, read back and decoded. */
const throughStore = <View extends Versioned>(projection: Projection<View>, doc: View): View => {
  const decoded = projection.codec.decode(JSON.parse(JSON.stringify(projection.codec.encode(doc))));
  if (E.isLeft(decoded)) throw new Error(`${projection.name}: a stored document does not decode`);
  return decoded.right;
};

/**
 * Builds the read model batch by batch, every document going through the store between batches,
 * the way a runner does.
 */
export const buildInBatches = <View extends Versioned>(
  projection: Projection<View>,
  events: ReadonlyArray<DomainRecordedEvent>,
  batchSizes: ReadonlyArray<number>,
): ReadonlyMap<string, View> => {
  let docs: ReadonlyMap<string, View> = new Map();
  let from = 0;
  for (let b = 0; from < events.length; b++) {
    const size = batchSizes.length === 0 ? events.length : (batchSizes[b % batchSizes.length] ?? 1);
    docs = new Map([...docs].map(([key, doc]) => [key, throughStore(projection, doc)]));
    docs = events.slice(from, from + size).reduce((d, e) => applyEvent(projection, d, e), docs);
    from += size;
  }
  return docs;
};

/** What every projection owes its runner, checked over realistic shop histories. */
export const projectionLaws = <View extends Versioned>(projection: Projection<View>): void => {
  describe(`${projection.name}: laws`, () => {
    it("applies an event delivered twice, at once or later, as once", () => {
      const picks = fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 20 });
      fc.assert(
        fc.property(histories(), picks, ({ events }, redeliveries) => {
          const once = replay(projection, events);
          const twice = replay(projection, withRedeliveries(events, redeliveries));
          expect(byKey(twice)).toEqual(byKey(once));
        }),
        propertyRuns,
      );
    });

    it("builds the same documents in stored batches as a replay from zero", () => {
      const batchSizes = fc.array(fc.integer({ min: 1, max: 25 }), { maxLength: 8 });
      fc.assert(
        fc.property(histories(), batchSizes, ({ events }, sizes) => {
          const incremental = buildInBatches(projection, events, sizes);
          expect(byKey(incremental)).toEqual(byKey(replay(projection, events)));
        }),
        propertyRuns,
      );
    });

    it("never deletes a document", () => {
      fc.assert(
        fc.property(histories(), ({ events }) => {
          let docs: ReadonlyMap<string, View> = new Map();
          const deleted: string[] = [];
          for (const event of events) {
            const next = applyEvent(projection, docs, event);
            for (const key of docs.keys()) if (!next.has(key)) deleted.push(key);
            docs = next;
          }
          expect(deleted).toEqual([]);
        }),
        propertyRuns,
      );
    });
  });
};
