import {
  createMemoryEventStore,
  createMemoryLocks,
  createMemoryReadModelStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { describe, expect, it } from "vitest";
import { addressFromLine } from "../domain/order/delivery-address.js";
import type { ProcessManager } from "../processes/process-manager.js";
import { replay } from "../projections/projection.js";
import type { CustomerId, OrderId, Quantity, Sku, Text } from "../shared/codecs.js";
import { receivedUnits as received } from "../test-support/received-units.js";
import { commandBus } from "./command-bus.js";
import { createCommandHandler } from "./command-handler.js";
import { loadParked, parkEvent } from "./parked-events.js";
import { startProcessManager } from "./process-runner.js";
import { startProjection } from "./projection-runner.js";
import { readModelName, readViews } from "./read-views.js";
import { rebuildProjection } from "./rebuild.js";
import { decodeBatch } from "./subscriber.js";

const ctx = { correlationId: "c", causationId: "c" };

const setup = () => {
  const store = createMemoryEventStore();
  const readModels = createMemoryReadModelStore();
  const bus = commandBus(createCommandHandler({ store, clock: systemClock, ids: uuids }));
  const receive = (sku: string, n: number) =>
    bus.stockItem({ type: "ReceiveStock", sku: sku as Sku, quantity: n as Quantity }, ctx)();
  const head = async () => (await store.head()) ?? 0n;
  return { store, readModels, bus, receive, head, deps: { store, readModels, clock: systemClock } };
};

describe("projection runner", () => {
  it("builds the read model, commits the checkpoint with it, and resumes where it stopped", async () => {
    const w = setup();
    for (let i = 0; i < 30; i += 1) await w.receive(`SKU-${i % 3}`, 1);
    const first = startProjection(received, w.deps, { maxBatch: 7 });
    await first.waitUntil(await w.head());
    await first.stop();
    expect(first.status()).toMatchObject({ state: "stopped", handled: 30 });

    for (let i = 0; i < 9; i += 1) await w.receive(`SKU-${i % 3}`, 2);
    const second = startProjection(received, w.deps);
    await second.waitUntil(await w.head());
    expect(second.status().handled).toBe(9);
    await second.stop();

    const views = await readViews(received, w.readModels).all();
    expect(Object.fromEntries([...views].map(([k, v]) => [k, v.units]))).toEqual({
      "SKU-0": 16,
      "SKU-1": 16,
      "SKU-2": 16,
    });
    expect(await w.readModels.checkpoint(readModelName(received))).toBe(await w.head());
  });

  it("follows live appends and builds what a replay from zero builds", async () => {
    const w = setup();
    const running = startProjection(received, w.deps, { maxBatch: 4 });
    await Promise.all(Array.from({ length: 40 }, (_, i) => w.receive(`SKU-${i % 5}`, (i % 4) + 1)));
    await running.waitUntil(await w.head());
    await running.stop();
    const live = await readViews(received, w.readModels).all();
    const rebuilt = replay(received, decodeBatch(w.store.all()));
    expect(live).toEqual(rebuilt);
  });

  it("runs on one instance at a time: the other stands by and takes over", async () => {
    const w = setup();
    const locks = createMemoryLocks();
    const deps = { ...w.deps, locks };
    const a = startProjection(received, deps);
    const b = startProjection(received, deps, { standbyRetryMs: 5 });
    await w.receive("SKU-1", 1);
    await a.waitUntil(await w.head());
    expect(b.status().state).toBe("standby");
    await a.stop();
    await w.receive("SKU-1", 1);
    await b.waitUntil(await w.head());
    expect(b.status().state).toBe("running");
    await b.stop();
    expect((await readViews(received, w.readModels).get("SKU-1"))?.units).toBe(2);
  });

  it("stops at an event it cannot decode, and says which", async () => {
    const w = setup();
    await w.receive("SKU-1", 1);
    await w.store.append(
      "StockItem-SKU-1",
      [
        {
          eventId: uuids.next(),
          type: "StockReceived",
          data: { sku: "SKU-1" },
          metadata: {} as never,
        },
      ],
      "any",
    );
    const running = startProjection(received, w.deps);
    await expect(running.waitUntil(await w.head())).rejects.toThrow(/StockItem-SKU-1@1/);
    expect(running.status()).toMatchObject({
      state: "failed",
      failedEvent: { streamName: "StockItem-SKU-1", revision: "1", type: "StockReceived" },
    });
    expect(running.status().checkpoint).toBeUndefined();
  });

  it("steps over an event the operator parked, once restarted, and over nothing else", async () => {
    const w = setup();
    await w.receive("SKU-1", 1);
    await w.store.append(
      "StockItem-SKU-1",
      [{ eventId: uuids.next(), type: "StockReceived", data: { sku: 1 }, metadata: {} as never }],
      "any",
    );
    await w.receive("SKU-2", 2);
    const failing = startProjection(received, w.deps);
    await expect(failing.waitUntil(await w.head())).rejects.toThrow();
    const poison = failing.status().failedEvent?.position ?? "";
    await failing.stop();

    await parkEvent(w.readModels, readModelName(received), {
      position: BigInt(poison),
      reason: "written by a broken import on 2026-12-01",
      by: "operator",
      at: new Date(),
    });
    const resumed = startProjection(received, w.deps);
    await resumed.waitUntil(await w.head());
    expect(resumed.status()).toMatchObject({ state: "running", parked: 1 });
    await resumed.stop();
    const views = await readViews(received, w.readModels).all();
    expect([views.get("SKU-1")?.units, views.get("SKU-2")?.units]).toEqual([1, 2]);
    expect(await loadParked(w.readModels, readModelName(received))).toEqual([
      expect.objectContaining({ position: poison, by: "operator" }),
    ]);
  });
});

describe("rebuild", () => {
  it("builds beside the live model, swaps it in, and the live runner carries on from there", async () => {
    const w = setup();
    for (let i = 0; i < 25; i += 1) await w.receive(`SKU-${i % 4}`, 1);
    const live = startProjection(received, w.deps, { maxBatch: 3 });
    await live.waitUntil(await w.head());
    // Damage the live model, as a bug fixed in a new release would have.
    await w.readModels.commit(
      readModelName(received),
      new Map([["SKU-0", { units: 999, revisions: {} }]]),
      await w.head(),
    );

    const progress: bigint[] = [];
    await rebuildProjection(received, w.deps, {
      onProgress: (p) => progress.push(p.checkpoint ?? 0n),
    });
    expect(progress.at(-1)).toBe(await w.head());
    expect((await readViews(received, w.readModels).get("SKU-0"))?.units).toBe(7);

    for (let i = 0; i < 8; i += 1) await w.receive(`SKU-${i % 4}`, 1);
    await live.waitUntil(await w.head());
    expect(live.status().state).toBe("running");
    await live.stop();
    expect(await readViews(received, w.readModels).all()).toEqual(
      replay(received, decodeBatch(w.store.all())),
    );
  });
});

describe("rebuild past a parked event", () => {
  it("steps over what the operator parked for the live model, instead of stopping at it again", async () => {
    const w = setup();
    await w.receive("SKU-1", 1);
    const poisoned = await w.store.append(
      "StockItem-SKU-1",
      [{ eventId: uuids.next(), type: "StockReceived", data: { sku: 1 }, metadata: {} as never }],
      "any",
    );
    await w.receive("SKU-2", 2);
    if (E.isLeft(poisoned)) throw new Error(poisoned.left.message);
    await parkEvent(w.readModels, readModelName(received), {
      position: poisoned.right.position,
      reason: "written by a broken import",
      by: "operator",
      at: new Date(),
    });

    const done = await rebuildProjection(received, w.deps);
    expect(done.checkpoint).toBe(await w.head());
    const views = await readViews(received, w.readModels).all();
    expect([views.get("SKU-1")?.units, views.get("SKU-2")?.units]).toEqual([1, 2]);
    // The parked record stays with the live model's name, for the runner that follows it.
    expect(await loadParked(w.readModels, readModelName(received))).toHaveLength(1);
  });
});

describe("a checkpoint moved under a running projection", () => {
  it("is noticed at the next commit, which writes nothing; the runner resumes from the stored one", async () => {
    const w = setup();
    for (let i = 0; i < 12; i += 1) await w.receive("SKU-1", 1);
    const live = startProjection(received, w.deps);
    await live.waitUntil(await w.head());
    // As a swap from an older rebuild would leave it: a model built only up to position 4.
    const name = readModelName(received);
    const upTo4 = replay(received, decodeBatch(w.store.all().slice(0, 4)));
    await w.readModels.reset(name);
    await w.readModels.commit(
      name,
      new Map([...upTo4].map(([k, v]) => [k, received.codec.encode(v)])),
      4n,
    );

    await w.receive("SKU-1", 1);
    await live.waitUntil(await w.head());
    expect(live.status()).toMatchObject({ state: "running", handled: 12 + 9 });
    await live.stop();
    expect((await readViews(received, w.readModels).get("SKU-1"))?.units).toBe(13);
  });
});

describe("process manager runner", () => {
  /** Starts processing every placed order, counting how many it saw. */
  const autoProcess: ProcessManager<{ seen: number }> = {
    name: "auto-process",
    categories: ["Order"],
    initialState: { seen: 0 },
    codec: t.type({ seen: t.number }),
    react: (state, e) =>
      e.event.type === "OrderPlaced"
        ? {
            state: { seen: state.seen + 1 },
            commands: [
              {
                aggregate: "Order",
                command: { type: "StartProcessing", orderId: e.event.data.orderId },
              },
            ],
          }
        : { state, commands: [] },
  };

  it("sends its commands, caused by the event, and keeps its state with its checkpoint", async () => {
    const w = setup();
    const orderId = "o-1" as OrderId;
    await w.receive("SOFA", 1);
    await w.bus.order({ type: "CreateOrder", orderId, customerId: "c-1" as CustomerId }, ctx)();
    await w.bus.order(
      {
        type: "AddItem",
        orderId,
        lineId: "l-1",
        sku: "SOFA",
        quantity: 1,
        unitPrice: 100,
      } as never,
      ctx,
    )();
    await w.bus.order(
      { type: "PlaceOrder", orderId, deliveryAddress: addressFromLine("Here 1" as Text) },
      ctx,
    )();
    const deps = { ...w.deps, bus: w.bus };
    const running = startProcessManager(autoProcess, deps);
    await running.waitUntil(await w.head());
    await running.stop();

    const events = await w.store.readStream("Order-o-1");
    const started = events.find((e) => e.type === "OrderProcessingStarted");
    const placed = events.find((e) => e.type === "OrderPlaced");
    expect(started?.metadata).toMatchObject({ causationId: placed?.eventId });
    expect((await w.readModels.getMany("process.auto-process", ["state"])).get("state")).toEqual({
      seen: 1,
    });

    // A restart from zero (state lost) sends the command again: a no-op in the aggregate.
    await w.readModels.reset("process.auto-process");
    const again = startProcessManager(autoProcess, deps);
    await again.waitUntil(await w.head());
    await again.stop();
    expect(
      (await w.store.readStream("Order-o-1")).filter((e) => e.type === "OrderProcessingStarted"),
    ).toHaveLength(1);
  });
});
