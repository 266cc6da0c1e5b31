import {
  createMemoryEventStore,
  createMemorySnapshotStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { noReservations } from "../domain/stock-item/live-reservations.js";
import type { EventStore } from "../ports/event-store.js";
import type { Snapshot, SnapshotStore } from "../ports/snapshot-store.js";
import type { LineId, OrderId, Quantity, Sku } from "../shared/codecs.js";
import { stockItemAggregate } from "./aggregates.js";
import { createCommandHandler } from "./command-handler.js";
import { loadAggregate } from "./load-aggregate.js";
import { STATE_SCHEMA, snapshottingCache } from "./snapshotting-cache.js";

const sku = "LAMP-ARC" as Sku;
const ctx = { correlationId: "c", causationId: "c" };

/** Counts how many events reads return: the cost that must not grow with the stream. */
const counting = (store: EventStore) => {
  let read = 0;
  return {
    store: {
      ...store,
      readStream: async (...args: Parameters<EventStore["readStream"]>) => {
        const events = await store.readStream(...args);
        read += events.length;
        return events;
      },
    } satisfies EventStore,
    read: () => read,
  };
};

describe("snapshotting cache", () => {
  it("lets a restarted process load a long stream from its snapshot and the tail after it", async () => {
    const store = createMemoryEventStore();
    const snapshots = createMemorySnapshotStore();
    const handle = createCommandHandler({
      store,
      clock: systemClock,
      ids: uuids,
      cache: snapshottingCache(snapshots, { events: store, every: 100 }),
    })(stockItemAggregate);
    await handle({ type: "ReceiveStock", sku, quantity: 100_000 as Quantity }, ctx)();
    for (let i = 0; i < 1_050; i += 1) {
      const lineId = `l-${i}` as LineId;
      const orderId = `o-${i}` as OrderId;
      await handle({ type: "ReserveStock", sku, orderId, lineId, quantity: 1 as Quantity }, ctx)();
      if (i % 2 === 0) {
        await handle(
          { type: "ReleaseReservation", sku, orderId, lineId, reason: "item_removed" },
          ctx,
        )();
      }
    }
    const full = await loadAggregate(store, stockItemAggregate, "StockItem-LAMP-ARC");

    // A new process: empty memory, same durable snapshots.
    const reads = counting(store);
    const restarted = await loadAggregate(
      reads.store,
      stockItemAggregate,
      "StockItem-LAMP-ARC",
      snapshottingCache(snapshots, { events: store, every: 100 }),
    );
    expect(E.isRight(restarted) && E.isRight(full)).toBe(true);
    expect(restarted).toEqual(full);
    expect(reads.read()).toBeLessThan(100);
  });

  /** A stream of one receipt of 5 units, loaded beside the snapshot given for it. */
  const loadBeside = async (snapshot: Snapshot) => {
    const store = createMemoryEventStore();
    const snapshots = createMemorySnapshotStore();
    const handle = createCommandHandler({ store, clock: systemClock, ids: uuids })(
      stockItemAggregate,
    );
    await handle({ type: "ReceiveStock", sku, quantity: 5 as Quantity }, ctx)();
    await snapshots.save("StockItem-LAMP-ARC", snapshot);
    return loadAggregate(
      store,
      stockItemAggregate,
      "StockItem-LAMP-ARC",
      snapshottingCache(snapshots, { events: store, every: 200 }),
    );
  };

  it("ignores a snapshot that does not decode and reads the stream instead", async () => {
    const loaded = await loadBeside({
      revision: 0n,
      state: { onHand: "five" },
      schema: STATE_SCHEMA,
    });
    expect(E.isRight(loaded) && loaded.right.state.onHand).toBe(5);
  });

  it("passes over a snapshot of an older state shape and folds the stream instead", async () => {
    expect(STATE_SCHEMA).toBe(3);
    // Schema 1 kept a StockItem's reservations in a record keyed by line id.
    const loaded = await loadBeside({
      revision: 0n,
      state: {
        sku,
        onHand: 5,
        reserved: 1,
        reservations: { "l-1": { orderId: "o-1", quantity: 1 } },
      },
      schema: 1,
    });
    expect(E.isRight(loaded) && loaded.right.state).toEqual({
      sku,
      onHand: 5,
      reserved: 0,
      reservations: noReservations,
    });
  });

  describe("on a store that reads a snapshot and its tail together", () => {
    /** The memory snapshot store, taught to read the events after a snapshot in the same call. */
    const besideEvents = (store: EventStore) => {
      const snapshots = createMemorySnapshotStore();
      let reads = 0;
      let tail = 0;
      const withEvents: SnapshotStore = {
        ...snapshots,
        withEvents: {
          eventsOf: store,
          load: async (streamName, schema) => {
            reads += 1;
            const stored = await snapshots.load(streamName);
            const snapshot = stored?.schema === schema ? stored : undefined;
            const events = await store.readStream(streamName, {
              fromRevision: (snapshot?.revision ?? -1n) + 1n,
            });
            tail = events.length;
            return { snapshot, events };
          },
        },
      };
      return { snapshots: withEvents, reads: () => reads, tail: () => tail };
    };

    const stocked = async (units: number) => {
      const store = createMemoryEventStore();
      const handle = createCommandHandler({ store, clock: systemClock, ids: uuids })(
        stockItemAggregate,
      );
      for (let i = 0; i < units; i += 1) {
        await handle({ type: "ReceiveStock", sku, quantity: 1 as Quantity }, ctx)();
      }
      return store;
    };

    it("loads from the snapshot and the events after it in one read, and keeps the result", async () => {
      const store = await stocked(30);
      const durable = besideEvents(store);
      await durable.snapshots.save("StockItem-LAMP-ARC", {
        revision: 19n,
        state: { sku, onHand: 20, reserved: 0, reservations: [] },
        schema: STATE_SCHEMA,
      });
      const reads = counting(store);
      const cache = snapshottingCache(durable.snapshots, { events: store, every: 200 });
      const loaded = await loadAggregate(
        reads.store,
        stockItemAggregate,
        "StockItem-LAMP-ARC",
        cache,
      );
      expect(E.isRight(loaded) && loaded.right).toMatchObject({
        revision: 29n,
        state: { onHand: 30 },
      });
      expect(durable.reads()).toBe(1);
      expect(durable.tail()).toBe(10);
      expect(reads.read()).toBe(0);
      // Kept in memory: the next load reads only what is newer, and not the snapshot again.
      await loadAggregate(reads.store, stockItemAggregate, "StockItem-LAMP-ARC", cache);
      expect(durable.reads()).toBe(1);
    });

    it("folds the whole stream it read when there is no snapshot yet", async () => {
      const store = await stocked(3);
      const durable = besideEvents(store);
      const reads = counting(store);
      const loaded = await loadAggregate(
        reads.store,
        stockItemAggregate,
        "StockItem-LAMP-ARC",
        snapshottingCache(durable.snapshots, { events: store, every: 200 }),
      );
      expect(E.isRight(loaded) && loaded.right).toMatchObject({
        revision: 2n,
        state: { onHand: 3 },
      });
      expect(reads.read()).toBe(0);
    });

    it("reads the whole stream when the snapshot does not decode, not just its tail", async () => {
      const store = await stocked(5);
      const durable = besideEvents(store);
      await durable.snapshots.save("StockItem-LAMP-ARC", {
        revision: 2n,
        state: { onHand: "three" },
        schema: STATE_SCHEMA,
      });
      const loaded = await loadAggregate(
        store,
        stockItemAggregate,
        "StockItem-LAMP-ARC",
        snapshottingCache(durable.snapshots, { events: store, every: 200 }),
      );
      expect(E.isRight(loaded) && loaded.right).toMatchObject({
        revision: 4n,
        state: { onHand: 5 },
      });
    });

    it("never folds onto the events of another store than the one it loads for", async () => {
      // The set-up of a service whose state schema is not its event schema: the snapshot store
      // sits beside an event table that stays empty, while the events live in another store.
      const events = await stocked(4);
      const besideEmpty = besideEvents(createMemoryEventStore());
      await besideEmpty.snapshots.save("StockItem-LAMP-ARC", {
        revision: 1n,
        state: { sku, onHand: 2, reserved: 0, reservations: [] },
        schema: STATE_SCHEMA,
      });
      const loaded = await loadAggregate(
        events,
        stockItemAggregate,
        "StockItem-LAMP-ARC",
        snapshottingCache(besideEmpty.snapshots, { events, every: 200 }),
      );
      expect(E.isRight(loaded) && loaded.right).toMatchObject({
        revision: 3n,
        state: { onHand: 4 },
      });
      expect(besideEmpty.reads()).toBe(0);
    });
  });
});
