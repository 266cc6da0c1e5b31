import { createMemoryEventStore, manualClock, systemClock } from "@mebel/adapter-memory";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { Quantity, Sku } from "../shared/codecs.js";
import { stockItemAggregate } from "./aggregates.js";
import { createCommandHandler } from "./command-handler.js";
import { lruStateCache, type StateCache } from "./state-cache.js";

const sku = "CHAIR-EAMES" as Sku;
const context = { correlationId: "corr-1", causationId: "req-1" };
const receive = (n: number) => ({ type: "ReceiveStock" as const, sku, quantity: n as Quantity });
let counter = 0;
const ids = { next: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}` };

const setup = (options: { cache?: boolean; realClock?: boolean } = {}) => {
  const store = createMemoryEventStore();
  // Backoff only spreads racers out when sleeping takes real time.
  const clock = options.realClock ? systemClock : manualClock();
  const handler = (extra: { serializePerStream?: boolean } = {}) =>
    createCommandHandler({
      store,
      clock,
      ids,
      ...(options.cache ? { cache: lruStateCache() } : {}),
      ...extra,
    })(stockItemAggregate);
  return { store, clock, handler };
};

describe("command handler", () => {
  it("appends the decided events with the command's metadata", async () => {
    const { store, handler } = setup();
    const result = await handler()(receive(3), context)();
    expect(E.isRight(result) && result.right.revision).toBe(0n);
    const [stored] = await store.readStream("StockItem-CHAIR-EAMES");
    expect(stored).toMatchObject({
      type: "StockReceived",
      data: { sku, quantity: 3 },
      metadata: {
        correlationId: "corr-1",
        causationId: "req-1",
        occurredAt: "2026-01-01T09:00:00.000Z",
      },
    });
  });

  it("appends nothing when the command is already satisfied", async () => {
    const { store, handler } = setup();
    const handle = handler();
    await handle(receive(3), context)();
    const reserve = {
      type: "ReserveStock" as const,
      sku,
      orderId: "o-1",
      lineId: "l-1",
      quantity: 1,
    } as never;
    await handle(reserve, context)();
    const again = await handle(reserve, context)();
    expect(E.isRight(again) && again.right.events).toEqual([]);
    expect(await store.readStream("StockItem-CHAIR-EAMES")).toHaveLength(2);
  });

  it("returns the aggregate's rejection as a value and appends nothing", async () => {
    const { store, handler } = setup();
    const result = await handler()(
      { type: "ReserveStock", sku, orderId: "o-1", lineId: "l-1", quantity: 1 } as never,
      context,
    )();
    expect(E.isLeft(result) && result.left.code).toBe("INSUFFICIENT_STOCK");
    expect(await store.head()).toBeUndefined();
  });

  it("decides again on the newer state after losing a race", async () => {
    const { store, handler } = setup({ cache: true, realClock: true });
    const a = handler({ serializePerStream: false });
    const b = handler({ serializePerStream: false });
    await a(receive(1), context)();
    const results = await Promise.all(Array.from({ length: 20 }, () => b(receive(1), context)()));
    expect(results.every(E.isRight)).toBe(true);
    const events = await store.readStream("StockItem-CHAIR-EAMES");
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 21 }, (_, i) => BigInt(i)));
    // a's cache is stale by 20 events: it must catch up, not overwrite.
    const last = await a(receive(1), context)();
    expect(E.isRight(last) && last.right.revision).toBe(21n);
    expect(E.isRight(last) && (last.right.state as { onHand: number }).onHand).toBe(22);
  });

  it("decides on a current cache in one round trip: an append, no read", async () => {
    const { store, clock } = setup();
    let reads = 0;
    const counted = {
      ...store,
      readStream: (...args: Parameters<typeof store.readStream>) => {
        reads += 1;
        return store.readStream(...args);
      },
    };
    const handle = createCommandHandler({ store: counted, clock, ids, cache: lruStateCache() })(
      stockItemAggregate,
    );
    await handle(receive(1), context)();
    const before = reads;
    for (let i = 0; i < 5; i += 1) await handle(receive(1), context)();
    expect(reads).toBe(before);
    // Written behind its back: the append is refused, it reads, decides again, and succeeds.
    await store.append(
      "StockItem-CHAIR-EAMES",
      [
        {
          eventId: ids.next(),
          type: "StockReceived",
          data: { sku, quantity: 7 },
          metadata: {
            correlationId: "x",
            causationId: "x",
            occurredAt: "2026-01-01T00:00:00.000Z",
          } as never,
        },
      ],
      "any",
    );
    const after = await handle(receive(1), context)();
    expect(E.isRight(after) && (after.right.state as { onHand: number }).onHand).toBe(14);
    expect(reads).toBe(before + 1);
  });

  it("gives up with CONCURRENCY_CONFLICT when the stream never holds still", async () => {
    const { store, clock } = setup();
    const racing = {
      ...store,
      append: async (...args: Parameters<typeof store.append>) => {
        await store.append(args[0], [{ ...args[1][0], eventId: ids.next() } as never], "any");
        return store.append(...args);
      },
    };
    const handle = createCommandHandler({
      store: racing,
      clock,
      ids,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    })(stockItemAggregate);
    const result = await handle(receive(1), context)();
    expect(E.isLeft(result) && result.left.code).toBe("CONCURRENCY_CONFLICT");
  });

  it("refuses with PRECONDITION_FAILED when the stream moved past the revision the caller saw", async () => {
    const { handler } = setup();
    const handle = handler();
    await handle(receive(1), context)();
    await handle(receive(1), context)();
    const stale = await handle(receive(1), context, { expectedRevision: 0n })();
    expect(E.isLeft(stale) && stale.left.code).toBe("PRECONDITION_FAILED");
    const fresh = await handle(receive(1), context, { expectedRevision: 1n })();
    expect(E.isRight(fresh)).toBe(true);
  });

  it("reports a stored event that does not decode as CORRUPT_EVENT, naming it", async () => {
    const { store, handler } = setup();
    await store.append(
      "StockItem-CHAIR-EAMES",
      [
        {
          eventId: ids.next(),
          type: "StockReceived",
          data: { sku, quantity: -4 },
          metadata: {
            correlationId: "x",
            causationId: "x",
            occurredAt: "2026-01-01T00:00:00.000Z",
          } as never,
        },
      ],
      "no_stream",
    );
    const result = await handler()(receive(1), context)();
    expect(E.isLeft(result) && result.left.code).toBe("CORRUPT_EVENT");
    expect(E.isLeft(result) && result.left.message).toContain("StockItem-CHAIR-EAMES@0");
  });

  it("works the same with a cache that answers with promises", async () => {
    const { store, clock } = setup();
    const memory = lruStateCache();
    let calls = 0;
    const slow: StateCache = {
      get: async (streamName) => {
        calls += 1;
        return memory.get(streamName);
      },
      set: async (streamName, value) => {
        calls += 1;
        memory.set(streamName, value);
      },
    };
    const handle = createCommandHandler({ store, clock, ids, cache: slow })(stockItemAggregate);
    for (let i = 0; i < 3; i += 1) await handle(receive(2), context)();
    const last = await handle(receive(2), context)();
    expect(E.isRight(last) && last.right.revision).toBe(3n);
    expect(E.isRight(last) && (last.right.state as { onHand: number }).onHand).toBe(8);
    expect(memory.get("StockItem-CHAIR-EAMES")?.revision).toBe(3n);
    expect(calls).toBeGreaterThanOrEqual(8);
  });

  it("rejects, never throws, when a port fails in the caller's turn", async () => {
    const { store, clock } = setup();
    let given = 0;
    const running = {
      next: (): string => {
        given += 1;
        if (given > 1) throw new Error("no ids today");
        return ids.next();
      },
    };
    const handle = createCommandHandler({ store, clock, ids: running, cache: lruStateCache() })(
      stockItemAggregate,
    );
    // The first command fills the cache, so the second takes the path that runs in the caller's turn.
    expect(E.isRight(await handle(receive(1), context)())).toBe(true);
    const outcome = handle(receive(1), context)();
    await expect(outcome).rejects.toThrow("no ids today");
  });
});
