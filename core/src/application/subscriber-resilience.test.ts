import {
  createMemoryEventStore,
  createMemoryLocks,
  createMemoryReadModelStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import * as t from "io-ts";
import { describe, expect, it } from "vitest";
import type { EventStore } from "../ports/event-store.js";
import type { Locks } from "../ports/locks.js";
import type { ReadModelStore } from "../ports/read-model-store.js";
import { StoreUnavailableError } from "../ports/store-unavailable.js";
import { toStockItem } from "../processes/process-commands.js";
import type { ProcessManager } from "../processes/process-manager.js";
import { replay } from "../projections/projection.js";
import type { LineId, OrderId, Quantity, Sku } from "../shared/codecs.js";
import { receivedUnits as received } from "../test-support/received-units.js";
import { commandBus } from "./command-bus.js";
import { createCommandHandler } from "./command-handler.js";
import { startProcessManager } from "./process-runner.js";
import { startProjection } from "./projection-runner.js";
import { readViews } from "./read-views.js";
import { decodeBatch, type RunningSubscriber } from "./subscriber.js";

const ctx = { correlationId: "c", causationId: "c" };
const fast = { baseDelayMs: 1, maxDelayMs: 20 };

/** A switch in front of a store: while it is off, every call fails as an unreachable server's. */
const flaky = <T extends object>(target: T, isDown: () => boolean): T =>
  new Proxy(target, {
    get: (object, key) => {
      const value = Reflect.get(object, key);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (isDown()) return Promise.reject(new StoreUnavailableError("connection refused"));
        return value.apply(object, args);
      };
    },
  });

const until = async (what: string, check: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const world = () => {
  const store = createMemoryEventStore();
  const readModels = createMemoryReadModelStore();
  const bus = commandBus(createCommandHandler({ store, clock: systemClock, ids: uuids }));
  const receive = (sku: string, n: number) =>
    bus.stockItem({ type: "ReceiveStock", sku: sku as Sku, quantity: n as Quantity }, ctx)();
  return { store, readModels, bus, receive };
};

describe("a subscriber whose store goes away", () => {
  it("retries with backoff instead of failing, gives up its lock meanwhile, and converges", async () => {
    const w = world();
    let down = false;
    const locks = createMemoryLocks();
    const acquired: string[] = [];
    const watchedLocks: Locks = {
      tryAcquire: async (name, onLost) => {
        const release = await locks.tryAcquire(name, onLost);
        if (release !== undefined) acquired.push(name);
        return release;
      },
    };
    const running = startProjection(
      received,
      {
        store: flaky<EventStore>(w.store, () => down),
        readModels: flaky<ReadModelStore>(w.readModels, () => down),
        clock: systemClock,
        locks: watchedLocks,
      },
      { reconnect: fast },
    );
    for (let i = 0; i < 10; i += 1) await w.receive(`SKU-${i % 2}`, 1);
    await running.waitUntil((await w.store.head()) ?? 0n);

    down = true;
    for (let i = 0; i < 10; i += 1) await w.receive(`SKU-${i % 2}`, 2);
    await until("retrying", () => running.status().state === "retrying");
    const status = running.status();
    expect(status.retry?.lastError).toContain("connection refused");
    expect(Date.parse(status.retry?.nextAttemptAt ?? "")).not.toBeNaN();
    // While it waits, the lock is free for a standby that can reach the store.
    const meanwhile = await locks.tryAcquire("subscriber:received-units.v1");
    expect(meanwhile).toBeDefined();
    await meanwhile?.();

    down = false;
    await running.waitUntil((await w.store.head()) ?? 0n);
    expect(running.status().state).toBe("running");
    expect(acquired.length).toBeGreaterThan(1);
    await running.stop();
    const live = await readViews(received, w.readModels).all();
    expect(live).toEqual(replay(received, decodeBatch(w.store.all())));
  });

  it("still fails, and stays failed, on what retrying cannot fix", async () => {
    const w = world();
    await w.receive("SKU-1", 1);
    const broken: ReadModelStore = {
      ...w.readModels,
      commit: () => Promise.reject(new TypeError("a bug in the handler")),
    };
    const running = startProjection(
      received,
      { store: w.store, readModels: broken, clock: systemClock },
      { reconnect: fast },
    );
    await until("failed", () => running.status().state === "failed");
    expect(running.status().error).toContain("a bug in the handler");
    await running.stop();
  });
});

/** Locks whose holder can be told, from outside, that its lock is gone (its session dropped). */
const droppableLocks = () => {
  const locks = createMemoryLocks();
  const holders = new Map<
    string,
    { onLost: ((e: Error) => void) | undefined; release: () => Promise<void> }
  >();
  const of: Locks = {
    tryAcquire: async (name, onLost) => {
      const release = await locks.tryAcquire(name, onLost);
      if (release !== undefined) holders.set(name, { onLost, release });
      return release;
    },
  };
  return {
    of,
    /** The holder's session dropped: it is told, and the lock is free for a standby. */
    drop: async (name: string) => {
      const holder = holders.get(name);
      holders.delete(name);
      holder?.onLost?.(new Error("lock session terminated"));
      await holder?.release();
    },
  };
};

describe("a subscriber whose lock is lost", () => {
  it("commits nothing more once told, a standby takes over, and the effect stays exactly once", async () => {
    const w = world();
    const locks = droppableLocks();
    let afterLoss = 0;
    let commits = 0;
    /** One instance: its own view of the lock and of the read models, as a process would have. */
    const instance = (): RunningSubscriber => {
      let lost = false;
      const readModels: ReadModelStore = {
        ...w.readModels,
        commit: async (...args) => {
          if (lost) afterLoss += 1;
          commits += 1;
          await new Promise((resolve) => setTimeout(resolve, 1));
          return w.readModels.commit(...args);
        },
      };
      const ownLocks: Locks = {
        tryAcquire: async (name, onLost) => {
          const release = await locks.of.tryAcquire(name, (reason) => {
            lost = true;
            onLost?.(reason);
          });
          if (release !== undefined) lost = false;
          return release;
        },
      };
      return startProjection(
        received,
        { store: w.store, readModels, clock: systemClock, locks: ownLocks },
        { maxBatch: 2, standbyRetryMs: 5, reconnect: fast },
      );
    };
    const [a, b] = [instance(), instance()];
    const writing = (async () => {
      for (let i = 0; i < 120; i += 1) await w.receive(`SKU-${i % 4}`, 1);
    })();
    for (let cut = 0; cut < 6; cut += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      await locks.drop("subscriber:received-units.v1");
    }
    await writing;
    const head = (await w.store.head()) ?? 0n;
    await until("one of them caught up", () =>
      [a, b].some((s) => s.status().state === "running" && (s.status().checkpoint ?? 0n) >= head),
    );
    expect(commits).toBeGreaterThan(6);
    expect(afterLoss).toBe(0);
    await a.stop();
    await b.stop();
    const live = await readViews(received, w.readModels).all();
    expect(live).toEqual(replay(received, decodeBatch(w.store.all())));
  });
});

describe("a process manager meeting refusals", () => {
  const stockItem = (sku: string): Sku => sku as Sku;
  /** Releases a reservation for every StockReceived: a refusal only the stock item can make. */
  const releaser = (sku: Sku): ProcessManager<null> => ({
    name: "releaser",
    categories: ["Order"],
    initialState: null,
    codec: t.null,
    react: (state, event) => ({
      state,
      commands:
        event.event.type === "OrderCreated"
          ? [
              toStockItem({
                type: "ReleaseReservation",
                sku,
                orderId: event.event.data.orderId,
                lineId: "l-1" as LineId,
                reason: "order_cancelled",
              }),
            ]
          : [],
    }),
  });

  it("stops, failed and naming the event, on a refusal that contradicts the log", async () => {
    const w = world();
    await w.bus.order(
      { type: "CreateOrder", orderId: "o-1" as OrderId, customerId: "c-1" as never },
      ctx,
    )();
    const running = startProcessManager(
      releaser(stockItem("NEVER-STOCKED")),
      { store: w.store, readModels: w.readModels, bus: w.bus, clock: systemClock },
      { contradictionRetry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } },
    );
    await until("failed", () => running.status().state === "failed");
    const status = running.status();
    expect(status.error).toContain("STOCK_ITEM_NOT_FOUND");
    expect(status.failedEvent).toMatchObject({ streamName: "Order-o-1", revision: "0" });
    // Not skipped: its checkpoint did not pass the event.
    expect(await w.readModels.checkpoint("process.releaser")).toBeUndefined();
    await running.stop();
  });

  it("moves on when the refusal only says the work is done", async () => {
    const w = world();
    await w.receive("CHAIR", 1);
    await w.bus.order(
      { type: "CreateOrder", orderId: "o-2" as OrderId, customerId: "c-1" as never },
      ctx,
    )();
    // Releasing what is not held on a stocked item is a no-op: nothing to release any more.
    const running = startProcessManager(releaser(stockItem("CHAIR")), {
      store: w.store,
      readModels: w.readModels,
      bus: w.bus,
      clock: systemClock,
    });
    await running.waitUntil((await w.store.head()) ?? 0n);
    expect(running.status().state).toBe("running");
    await running.stop();
  });
});
