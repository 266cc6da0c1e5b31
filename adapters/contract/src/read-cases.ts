import type { EventStore, Position } from "@mebel/core";
import { describe, expect, it } from "vitest";
import {
  afterHead,
  idsOf,
  isStrictlyIncreasing,
  newEvent,
  newEvents,
  revisionsOf,
  rightOf,
  uniqueCategory,
  uniqueStream,
} from "./fixtures.js";

export const readCases = (store: () => EventStore): void => {
  describe("readStream", () => {
    it("reads a missing stream as no events", async () => {
      const stream = uniqueStream();
      expect(await store().readStream(stream)).toEqual([]);
      expect(await store().readStream(stream, { direction: "backwards" })).toEqual([]);
      expect(await store().readStream(stream, { fromRevision: 3n, maxCount: 2 })).toEqual([]);
    });

    it("reads forwards from a revision, up to maxCount", async () => {
      const stream = uniqueStream();
      rightOf(await store().append(stream, newEvents(5), "no_stream"));
      const read = (from: number, maxCount?: number) =>
        store()
          .readStream(
            stream,
            maxCount === undefined
              ? { fromRevision: BigInt(from) }
              : { fromRevision: BigInt(from), maxCount },
          )
          .then(revisionsOf);
      expect(await read(2)).toEqual([2, 3, 4]);
      expect(await read(1, 2)).toEqual([1, 2]);
      expect(await read(4, 10)).toEqual([4]);
      expect(await read(5)).toEqual([]);
      expect(revisionsOf(await store().readStream(stream, { maxCount: 3 }))).toEqual([0, 1, 2]);
    });

    it("reads backwards from the end or from a revision, up to maxCount", async () => {
      const stream = uniqueStream();
      rightOf(await store().append(stream, newEvents(5), "no_stream"));
      const back = (options: { fromRevision?: bigint; maxCount?: number }) =>
        store()
          .readStream(stream, { ...options, direction: "backwards" })
          .then(revisionsOf);
      expect(await back({})).toEqual([4, 3, 2, 1, 0]);
      expect(await back({ maxCount: 2 })).toEqual([4, 3]);
      expect(await back({ fromRevision: 2n })).toEqual([2, 1, 0]);
      expect(await back({ fromRevision: 3n, maxCount: 2 })).toEqual([3, 2]);
      expect(await back({ fromRevision: 0n })).toEqual([0]);
    });
  });

  describe("readAll", () => {
    it("keeps one global order across streams", async () => {
      const category = uniqueCategory();
      const [a, b] = [uniqueStream(category), uniqueStream(category)];
      const start = await afterHead(store());
      const written = [];
      for (const [stream, count] of [
        [a, 2],
        [b, 1],
        [a, 1],
        [b, 2],
      ] as const) {
        const events = newEvents(count);
        rightOf(await store().append(stream, events, "any"));
        written.push(...events);
      }
      const page = await store().readAll({ ...start, categories: [category] });
      expect(idsOf(page.events)).toEqual(idsOf(written));
      expect(isStrictlyIncreasing(page.events.map((e) => e.position))).toBe(true);
      const fromStreams = [...(await store().readStream(a)), ...(await store().readStream(b))];
      const positionOf = new Map(fromStreams.map((e) => [e.eventId, e.position]));
      expect(page.events.every((e) => positionOf.get(e.eventId) === e.position)).toBe(true);
    });

    it("reads strictly after a position, page by page up to maxCount", async () => {
      const category = uniqueCategory();
      const stream = uniqueStream(category);
      const start = await afterHead(store());
      const events = newEvents(5);
      rightOf(await store().append(stream, events, "no_stream"));
      const stored = await store().readStream(stream);

      const first = await store().readAll({ ...start, categories: [category], maxCount: 2 });
      expect(idsOf(first.events)).toEqual(idsOf(events.slice(0, 2)));
      expect(first.isEnd).toBe(false);
      expect(first.position).toBe(stored[1]?.position);

      const second = await store().readAll({
        categories: [category],
        maxCount: 2,
        ...(first.position === undefined ? {} : { after: first.position }),
      });
      expect(idsOf(second.events)).toEqual(idsOf(events.slice(2, 4)));
      expect(second.isEnd).toBe(false);

      const third = await store().readAll({
        categories: [category],
        maxCount: 2,
        ...(second.position === undefined ? {} : { after: second.position }),
      });
      expect(idsOf(third.events)).toEqual(idsOf(events.slice(4)));
      expect(third.isEnd).toBe(true);

      const afterThird = await store().readAll({
        after: stored[2]?.position as Position,
        maxCount: 1,
      });
      expect(idsOf(afterThird.events)).toEqual([events[3]?.eventId]);
    });

    it("filters by category, with a page position that is a safe checkpoint", async () => {
      const [x, y, quiet] = [uniqueCategory("X"), uniqueCategory("Y"), uniqueCategory("Quiet")];
      const start = await afterHead(store());
      const [x1, x2] = [newEvent({ n: 1 }), newEvent({ n: 2 })];
      rightOf(await store().append(uniqueStream(x), [x1], "no_stream"));
      rightOf(await store().append(uniqueStream(y), [newEvent()], "no_stream"));
      rightOf(await store().append(uniqueStream(x), [x2], "no_stream"));
      const lastY = rightOf(await store().append(uniqueStream(y), [newEvent()], "no_stream"));

      const page = await store().readAll({ ...start, categories: [x] });
      expect(idsOf(page.events)).toEqual(idsOf([x1, x2]));
      expect(page.isEnd).toBe(true);
      // The filtered-out tail counts as read: resuming from here must not scan it again.
      expect(page.position).toBeDefined();
      expect(page.position as Position).toBeGreaterThanOrEqual(lastY.position);

      const none = await store().readAll({ ...start, categories: [quiet] });
      expect(none.events).toEqual([]);
      expect(none.position as Position).toBeGreaterThanOrEqual(lastY.position);

      const later = newEvent({ n: 3 });
      rightOf(await store().append(uniqueStream(y), [newEvent()], "no_stream"));
      rightOf(await store().append(uniqueStream(x), [later], "no_stream"));
      const resumed = await store().readAll({
        after: page.position as Position,
        categories: [x],
      });
      expect(idsOf(resumed.events)).toEqual([later.eventId]);

      const both = await store().readAll({ ...start, categories: [x, y] });
      expect(both.events).toHaveLength(6);
    });

    it("takes the category from before the first dash only", async () => {
      const category = uniqueCategory();
      const start = await afterHead(store());
      const inside = newEvent();
      rightOf(await store().append(`${category}-a-b-c`, [inside], "no_stream"));
      rightOf(await store().append(`${category}x-a`, [newEvent()], "no_stream"));
      rightOf(await store().append(`${category}_a`, [newEvent()], "no_stream"));
      const page = await store().readAll({ ...start, categories: [category] });
      expect(idsOf(page.events)).toEqual([inside.eventId]);
    });

    it("reports the head as the position of the newest event", async () => {
      const result = rightOf(await store().append(uniqueStream(), newEvents(2), "no_stream"));
      expect(await store().head()).toBe(result.position);
    });
  });
};
