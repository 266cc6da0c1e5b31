import type { EventStore, ExpectedRevision, StoredEvent } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import {
  afterHead,
  collect,
  idsOf,
  isStrictlyIncreasing,
  newEvents,
  readAllAfter,
  revisionsOf,
  uniqueCategory,
  uniqueStream,
  waitUntil,
} from "./fixtures.js";

const SOLO_WRITERS = 8;
const SOLO_APPENDS = 15;
const SHARED_WRITERS = 4;
const SHARED_APPENDS = 8;

/** Appends to a stream of its own, each append at the exact revision it left the stream at. */
const soloWriter = async (store: EventStore, stream: string, index: number): Promise<number> => {
  let expected: ExpectedRevision = "no_stream";
  let written = 0;
  for (let i = 0; i < SOLO_APPENDS; i += 1) {
    const events = newEvents(1 + ((i + index) % 3));
    const result = await store.append(stream, events, expected);
    if (E.isLeft(result)) throw new Error(`A solo writer lost a race: ${result.left.message}`);
    expected = result.right.nextExpectedRevision;
    written += events.length;
  }
  return written;
};

/** Competes with other writers on one stream: reads the revision, appends, retries a lost race. */
const sharedWriter = async (store: EventStore, stream: string): Promise<number> => {
  let written = 0;
  for (let i = 0; i < SHARED_APPENDS; ) {
    const [last] = await store.readStream(stream, { direction: "backwards", maxCount: 1 });
    const events = newEvents(1 + (i % 2));
    const result = await store.append(stream, events, last?.revision ?? "no_stream");
    if (E.isRight(result)) {
      written += events.length;
      i += 1;
    }
  }
  return written;
};

const expectDense = (events: ReadonlyArray<StoredEvent>): void =>
  expect(revisionsOf(events)).toEqual([...Array(events.length).keys()]);

export const concurrencyCases = (store: () => EventStore): void => {
  describe("concurrency", () => {
    it("gives a live subscriber every committed event once, in order, without gaps", async () => {
      const category = uniqueCategory();
      const start = await afterHead(store());
      const filtered = collect(store(), { ...start, categories: [category], maxBatch: 7 });
      const unfiltered = collect(store(), start);

      const solo = Array.from({ length: SOLO_WRITERS }, () => uniqueStream(category));
      const shared = uniqueStream(category);
      const counts = await Promise.all([
        ...solo.map((stream, i) => soloWriter(store(), stream, i)),
        ...Array.from({ length: SHARED_WRITERS }, () => sharedWriter(store(), shared)),
      ]);
      const total = counts.reduce((sum, n) => sum + n, 0);

      const final = await readAllAfter(store(), start.after, [category]);
      expect(final).toHaveLength(total);
      await waitUntil(
        "the filtered subscriber has everything",
        () => filtered.events.length >= total,
      );
      // Other writers may share the store: the unfiltered subscriber is judged on ours only.
      const ours = (): StoredEvent[] =>
        unfiltered.events.filter((e) => e.streamName.startsWith(`${category}-`));
      await waitUntil("the unfiltered subscriber has everything", () => ours().length >= total);
      await Promise.all([filtered.subscription.stop(), unfiltered.subscription.stop()]);

      const finalIds = idsOf(final);
      expect(isStrictlyIncreasing(final.map((e) => e.position))).toBe(true);
      for (const seen of [filtered.events, ours()]) {
        expect(idsOf(seen)).toEqual(finalIds);
        expect(isStrictlyIncreasing(seen.map((e) => e.position))).toBe(true);
      }
      expect(isStrictlyIncreasing(unfiltered.events.map((e) => e.position))).toBe(true);
      expectDense(await store().readStream(shared));
      for (const stream of solo) expectDense(await store().readStream(stream));
    });
  });
};
