import type { EventStore, Position, StoredEvent } from "@mebel/core";
import { describe, expect, it } from "vitest";
import {
  afterHead,
  collect,
  idsOf,
  isStrictlyIncreasing,
  newEvents,
  rightOf,
  sleep,
  uniqueCategory,
  uniqueStream,
  waitUntil,
} from "./fixtures.js";

export const subscribeCases = (store: () => EventStore): void => {
  describe("subscribe", () => {
    it("catches up, then follows live appends", async () => {
      const category = uniqueCategory();
      const start = await afterHead(store());
      const early = newEvents(3);
      rightOf(await store().append(uniqueStream(category), early, "no_stream"));
      const seen = collect(store(), { ...start, categories: [category] });
      await waitUntil("the backlog arrives", () => seen.events.length >= 3);
      const late = newEvents(2);
      rightOf(await store().append(uniqueStream(category), late, "no_stream"));
      await waitUntil("the live events arrive", () => seen.events.length >= 5);
      await seen.subscription.stop();
      await expect(seen.subscription.done).resolves.toBeUndefined();
      expect(idsOf(seen.events)).toEqual(idsOf([...early, ...late]));
      expect(isStrictlyIncreasing(seen.events.map((e) => e.position))).toBe(true);
      expect(isStrictlyIncreasing(seen.batches.map((b) => b.position))).toBe(true);
    });

    it("hands over one batch at a time, each no larger than maxBatch", async () => {
      const category = uniqueCategory();
      const stream = uniqueStream(category);
      const start = await afterHead(store());
      rightOf(await store().append(stream, newEvents(5), "no_stream"));
      let inFlight = 0;
      let mostInFlight = 0;
      const seen = collect(store(), { ...start, categories: [category], maxBatch: 2 }, async () => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await sleep(15);
        inFlight -= 1;
      });
      await waitUntil("the first batch is in the handler", () => seen.batches.length >= 1);
      rightOf(await store().append(stream, newEvents(4), 4n));
      await waitUntil("every event arrives", () => seen.events.length >= 9);
      await seen.subscription.stop();
      expect(mostInFlight).toBe(1);
      expect(seen.batches.every((b) => b.events.length <= 2)).toBe(true);
      for (const batch of seen.batches) {
        const last = batch.events[batch.events.length - 1];
        if (last !== undefined) expect(batch.position).toBeGreaterThanOrEqual(last.position);
      }
      expect(seen.events.map((e) => Number(e.revision))).toEqual([...Array(9).keys()]);
    });

    it("resumes after a stored position, missing nothing and repeating nothing", async () => {
      const category = uniqueCategory();
      const stream = uniqueStream(category);
      const start = await afterHead(store());
      const first = newEvents(5);
      rightOf(await store().append(stream, first, "no_stream"));
      let checkpoint: Position | undefined;
      const before = collect(
        store(),
        { ...start, categories: [category], maxBatch: 2 },
        async (batch) => {
          checkpoint = batch.position;
          await sleep(10);
        },
      );
      await waitUntil("a first batch is applied", () => checkpoint !== undefined);
      await before.subscription.stop();
      const delivered = before.events.length;

      const second = newEvents(3);
      rightOf(await store().append(stream, second, 4n));
      const after = collect(store(), {
        after: checkpoint as Position,
        categories: [category],
        maxBatch: 2,
      });
      await waitUntil("the rest arrives", () => after.events.length >= 8 - delivered);
      await sleep(50);
      await after.subscription.stop();
      expect(idsOf([...before.events, ...after.events])).toEqual(idsOf([...first, ...second]));
    });

    it("stop() waits for the handler in flight, then nothing more is delivered", async () => {
      const category = uniqueCategory();
      const stream = uniqueStream(category);
      const start = await afterHead(store());
      rightOf(await store().append(stream, newEvents(1), "no_stream"));
      let started = false;
      let finished = false;
      const seen = collect(store(), { ...start, categories: [category] }, async () => {
        started = true;
        await sleep(100);
        finished = true;
      });
      await waitUntil("the handler starts", () => started);
      await seen.subscription.stop();
      expect(finished).toBe(true);
      rightOf(await store().append(stream, newEvents(2), 0n));
      await sleep(200);
      expect(seen.events).toHaveLength(1);
      await expect(seen.subscription.done).resolves.toBeUndefined();
    });

    it("ends with done rejecting when the handler throws", async () => {
      const category = uniqueCategory();
      const start = await afterHead(store());
      rightOf(await store().append(uniqueStream(category), newEvents(1), "no_stream"));
      const subscription = store().subscribe({ ...start, categories: [category] }, async () => {
        throw new Error("handler failed");
      });
      await expect(subscription.done).rejects.toThrow("handler failed");
      await subscription.stop();
    });

    it("delivers to a subscriber without a category filter too", async () => {
      const start = await afterHead(store());
      const events = newEvents(3);
      const seen = collect(store(), start);
      rightOf(await store().append(uniqueStream(), events, "no_stream"));
      await waitUntil("the events arrive", () => seen.events.length >= 3);
      await seen.subscription.stop();
      const ours = new Set(idsOf(events));
      expect(idsOf(seen.events.filter((e: StoredEvent) => ours.has(e.eventId)))).toEqual(
        idsOf(events),
      );
    });
  });
};
