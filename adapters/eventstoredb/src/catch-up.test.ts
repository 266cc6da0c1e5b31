import type { Position, StoredEvent, SubscriptionBatch } from "@mebel/core";
import { describe, expect, it } from "vitest";
import {
  type CatchUpOptions,
  type CatchUpSource,
  runCatchUp,
  type SourceItem,
} from "./catch-up.js";

/** An async iterable the test feeds by hand: what a live subscription looks like from inside. */
const channel = <Item>() => {
  const queue: Item[] = [];
  let failure: { readonly error: unknown } | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const nudge = () => {
    wake?.();
    wake = undefined;
  };
  async function* iterate(): AsyncGenerator<Item> {
    for (;;) {
      const next = queue.shift();
      if (next !== undefined) yield next;
      else if (failure !== undefined) throw failure.error;
      else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  }
  return {
    items: iterate(),
    push: (item: Item) => {
      queue.push(item);
      nudge();
    },
    fail: (error: unknown) => {
      failure = { error };
      nudge();
    },
    end: () => {
      ended = true;
      nudge();
    },
  };
};

const transient = new Error("connection lost");
/** What done rejects with: the failure as the adapter reports it. */
const reported = (error: unknown) => ({ reported: error });

/** A log behind a resumable source, with the knobs to drop the connection under it. */
const fakeLog = (options: { readonly replayEverything?: boolean } = {}) => {
  const log: StoredEvent[] = [];
  const opened: Array<Position | undefined> = [];
  let closed = 0;
  let live: ReturnType<typeof channel<SourceItem>> | undefined;
  const event = (n: number): StoredEvent => ({
    streamName: "Order-1",
    revision: BigInt(n - 1),
    position: BigInt(n * 10),
    eventId: `e-${n}`,
    type: "OrderCreated",
    data: { n },
    metadata: {},
  });
  return {
    opened,
    closedCount: () => closed,
    append: (count = 1): void => {
      for (let i = 0; i < count; i += 1) {
        const e = event(log.length + 1);
        log.push(e);
        live?.push({ kind: "event", event: e });
      }
    },
    checkpoint: (position: Position): void => live?.push({ kind: "checkpoint", position }),
    drop: (error: unknown = transient): void => live?.fail(error),
    end: (): void => live?.end(),
    open: async (after: Position | undefined): Promise<CatchUpSource> => {
      opened.push(after);
      const source = channel<SourceItem>();
      for (const e of log) {
        if (options.replayEverything || after === undefined || e.position > after) {
          source.push({ kind: "event", event: e });
        }
      }
      live = source;
      return {
        items: source.items,
        close: async () => {
          closed += 1;
          source.end();
        },
      };
    },
  };
};

const until = async (condition: () => boolean, what = "condition"): Promise<void> => {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
};

const fastTiming = { idleMinMs: 10_000, idleMaxMs: 10_000 };

const start = (
  log: ReturnType<typeof fakeLog>,
  overrides: Partial<CatchUpOptions> = {},
  onBatch: (batch: SubscriptionBatch) => Promise<void> = async () => {},
): {
  readonly batches: SubscriptionBatch[];
  readonly delivered: () => number[];
  readonly subscription: ReturnType<typeof runCatchUp>;
} => {
  const batches: SubscriptionBatch[] = [];
  const subscription = runCatchUp({
    after: undefined,
    maxBatch: 100,
    open: log.open,
    handler: async (batch) => {
      batches.push(batch);
      await onBatch(batch);
    },
    failure: reported,
    timing: fastTiming,
    ...overrides,
  });
  const delivered = () => batches.flatMap((b) => b.events.map((e) => (e.data as { n: number }).n));
  return { batches, delivered, subscription };
};

describe("a resumable catch-up subscription", () => {
  it("catches up and follows, one batch at a time, in order, within maxBatch", async () => {
    const log = fakeLog();
    log.append(7);
    let running = 0;
    let overlapped = false;
    const { batches, subscription } = start(log, { maxBatch: 3 }, async () => {
      running += 1;
      overlapped ||= running > 1;
      await new Promise((resolve) => setTimeout(resolve, 2));
      running -= 1;
    });
    await until(() => batches.flatMap((b) => b.events).length === 7, "the catch-up");
    log.append(2);
    await until(() => batches.flatMap((b) => b.events).length === 9, "the live events");
    await subscription.stop();

    expect(overlapped).toBe(false);
    expect(batches.every((b) => b.events.length <= 3)).toBe(true);
    expect(batches.flatMap((b) => b.events.map((e) => Number(e.revision)))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    for (const batch of batches) expect(batch.position).toBe(batch.events.at(-1)?.position);
  });

  it.each([
    ["a dropped connection", (log: ReturnType<typeof fakeLog>) => log.drop(), transient],
    [
      "a source that ends by itself",
      (log: ReturnType<typeof fakeLog>) => log.end(),
      new Error("The subscription ended without being stopped."),
    ],
  ])(
    "ends after %s, rejecting done with the failure as reported, and closes the source",
    async (_, cut, cause) => {
      const log = fakeLog();
      const { delivered, subscription } = start(log);
      log.append(2);
      await until(() => delivered().length === 2);
      cut(log);
      await expect(subscription.done).rejects.toEqual(reported(cause));
      expect(log.opened).toEqual([undefined]);
      expect(log.closedCount()).toBe(1);
      expect(delivered()).toEqual([1, 2]);
    },
  );

  it("ends when the source cannot be opened, rejecting done with the failure as reported", async () => {
    const { subscription } = start(fakeLog(), {
      open: async () => {
        throw transient;
      },
    });
    await expect(subscription.done).rejects.toEqual(reported(transient));
  });

  it("never hands over an event twice, even when a source replays from before `after`", async () => {
    const log = fakeLog({ replayEverything: true });
    log.append(3);
    const { delivered, subscription } = start(log, { after: 10n });
    await until(() => delivered().length === 2);
    log.append(1);
    await until(() => delivered().length === 3);
    await subscription.stop();
    expect(delivered()).toEqual([2, 3, 4]);
  });

  it("moves the position on checkpoints alone, and ignores checkpoints it has passed", async () => {
    const log = fakeLog();
    const { batches, subscription } = start(log);
    log.append(1);
    await until(() => batches.length === 1);
    log.checkpoint(50n);
    await until(() => batches.length === 2);
    log.checkpoint(40n);
    log.checkpoint(50n);
    log.append(); // at 20: behind the checkpoint, so already covered
    log.checkpoint(70n);
    await until(() => batches.at(-1)?.position === 70n);
    await subscription.stop();
    expect(batches.map((b) => [b.events.length, b.position])).toEqual([
      [1, 10n],
      [0, 50n],
      [0, 70n],
    ]);
  });

  it("ends, rejecting done, when the handler throws, and closes the source", async () => {
    const log = fakeLog();
    const failure = new Error("projection bug");
    const { subscription } = start(log, {
      handler: async () => {
        throw failure;
      },
    });
    log.append(1);
    await expect(subscription.done).rejects.toBe(failure);
    expect(log.opened).toHaveLength(1);
    expect(log.closedCount()).toBe(1);
  });

  it("stops after the handler in flight returns, and delivers nothing more", async () => {
    const log = fakeLog();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { batches, subscription } = start(log, { maxBatch: 1 }, () => gate);
    log.append(2);
    await until(() => batches.length === 1);
    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(stopped).toBe(false);
    release();
    await stopping;
    await expect(subscription.done).resolves.toBeUndefined();
    log.append(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(batches).toHaveLength(1);
    expect(log.closedCount()).toBe(1);
  });

  it("can be stopped from inside its own handler", async () => {
    const log = fakeLog();
    let stop: () => Promise<void> = async () => undefined;
    const { subscription } = start(log, {}, () => stop());
    stop = subscription.stop;
    log.append(1);
    await expect(subscription.done).resolves.toBeUndefined();
  });

  it("after a quiet spell, reopens when the log has moved on unseen, from where it was", async () => {
    const log = fakeLog();
    const asked: Array<Position | undefined> = [];
    const { batches, subscription } = start(log, {
      timing: { ...fastTiming, idleMinMs: 5, idleMaxMs: 5 },
      isBehind: async (after) => {
        asked.push(after);
        return asked.length === 2;
      },
    });
    log.append(1);
    await until(() => batches.length === 1);
    await until(() => log.opened.length === 2, "the reopen");
    // What the real source reports once caught up: how far it scanned.
    log.checkpoint(90n);
    await until(() => batches.length === 2);
    await subscription.stop();
    expect(log.opened).toEqual([undefined, 10n]);
    expect(batches[1]).toEqual({ events: [], position: 90n });
  });
  it("asks less and less often while reopening finds only checkpoints", async () => {
    const log = fakeLog();
    let asked = 0;
    let scanned = 100n;
    const { subscription } = start(log, {
      timing: { ...fastTiming, idleMinMs: 5, idleMaxMs: 40 },
      open: async (after) => {
        const source = await log.open(after);
        scanned += 10n;
        log.checkpoint(scanned);
        return source;
      },
      isBehind: async () => {
        asked += 1;
        return true;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 250));
    await subscription.stop();
    // Waits of 5, 10, 20, then 40 ms: about eight questions, where a reset to 5 ms would ask fifty.
    expect(asked).toBeGreaterThan(2);
    expect(asked).toBeLessThan(15);
  });
});
