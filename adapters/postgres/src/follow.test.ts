import type { ReadAllOptions, ReadAllPage, StoredEvent, SubscriptionBatch } from "@mebel/core";
import { describe, expect, it } from "vitest";
import { follow } from "./follow.js";
import { createWakeups } from "./wakeups.js";

const eventAt = (position: number): StoredEvent => ({
  streamName: `Test-${position % 3}`,
  revision: BigInt(position),
  position: BigInt(position),
  eventId: `event-${position}`,
  type: "Tested",
  data: {},
  metadata: {},
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A log of `size` events behind a readAll that answers after `delayMs`, counting reads in flight,
 * and failing a read that starts after `failAfter` if given.
 */
const slowLog = (size: number, delayMs: number, failAfter?: bigint) => {
  const stats = { inFlight: 0, mostInFlight: 0, reads: 0 };
  const readAll = async (options: ReadAllOptions = {}): Promise<ReadAllPage> => {
    stats.reads += 1;
    stats.inFlight += 1;
    stats.mostInFlight = Math.max(stats.mostInFlight, stats.inFlight);
    try {
      await sleep(delayMs);
      const after = Number(options.after ?? 0n);
      if (failAfter !== undefined && BigInt(after) >= failAfter) throw new Error("read failed");
      const maxCount = options.maxCount ?? 1_000;
      const events = Array.from({ length: Math.max(0, Math.min(maxCount, size - after)) }, (_, i) =>
        eventAt(after + i + 1),
      );
      const last = events[events.length - 1];
      if (events.length === maxCount && last !== undefined) {
        return { events, position: last.position, isEnd: last.position >= BigInt(size) };
      }
      return size > after
        ? { events, position: BigInt(size), isEnd: true }
        : { events, isEnd: true };
    } finally {
      stats.inFlight -= 1;
    }
  };
  return { readAll, stats };
};

describe("follow", () => {
  it("reads the next page while a page is handled, one page ahead at most", async () => {
    const log = slowLog(50, 5);
    const batches: SubscriptionBatch[] = [];
    let readsDuringHandler = 0;
    const subscription = follow(log.readAll, createWakeups(60_000), { maxBatch: 4 }, async (b) => {
      const before = log.stats.reads;
      batches.push(b);
      await sleep(10);
      readsDuringHandler = Math.max(readsDuringHandler, log.stats.reads - before);
    });
    while (batches.reduce((n, b) => n + b.events.length, 0) < 50) await sleep(5);
    await subscription.stop();
    expect(batches.flatMap((b) => b.events).map((e) => e.position)).toEqual(
      Array.from({ length: 50 }, (_, i) => BigInt(i + 1)),
    );
    expect(batches.every((b) => b.events.length <= 4)).toBe(true);
    expect(log.stats.mostInFlight).toBe(1);
    // The page after the one in the handler was being read (that is the overlap), and no other.
    expect(readsDuringHandler).toBe(0);
    expect(log.stats.reads).toBeGreaterThanOrEqual(13);
  });

  it("asks for the next page before the handler of the current one returns", async () => {
    const log = slowLog(13, 1);
    const readsSeenByHandler: number[] = [];
    const subscription = follow(log.readAll, createWakeups(60_000), { maxBatch: 4 }, async () => {
      await sleep(20);
      readsSeenByHandler.push(log.stats.reads);
    });
    while (readsSeenByHandler.length < 3) await sleep(5);
    await subscription.stop();
    // While page n is applied, page n + 1 has already been asked for.
    expect(readsSeenByHandler.slice(0, 3)).toEqual([2, 3, 4]);
  });

  it("reports a failed read ahead only once the page in hand is applied", async () => {
    const log = slowLog(20, 2, 4n);
    const handled: bigint[] = [];
    const subscription = follow(log.readAll, createWakeups(60_000), { maxBatch: 4 }, async (b) => {
      await sleep(20);
      handled.push(b.position);
    });
    await expect(subscription.done).rejects.toThrow("read failed");
    expect(handled).toEqual([4n]);
    await subscription.stop();
  });

  it("ends only once a read in flight has returned", async () => {
    let release = (): void => {};
    let settled = false;
    const readAll = async (): Promise<ReadAllPage> => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      settled = true;
      return { events: [], isEnd: true };
    };
    const subscription = follow(readAll, createWakeups(60_000), {}, async () => {});
    await sleep(5);
    const stopped = subscription.stop().then(() => settled);
    await sleep(5);
    release();
    expect(await stopped).toBe(true);
  });
});
