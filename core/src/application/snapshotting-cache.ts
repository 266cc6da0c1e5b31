import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import {
  DeliveryStateCodec,
  OrderStateCodec,
  StockItemStateCodec,
} from "../domain/state-codecs.js";
import { Category, categoryOf } from "../domain/streams.js";
import type { Revision } from "../events/recorded-event.js";
import type { EventStore } from "../ports/event-store.js";
import type { Snapshot, SnapshotStore } from "../ports/snapshot-store.js";
import { lruStateCache, type StateAt, type StateCache } from "./state-cache.js";

/**
 * Bump when any aggregate state changes shape: snapshots of an older shape are then passed over.
 * 2: a StockItem's reservations became a list. 3: a Delivery holds its window.
 */
export const STATE_SCHEMA = 3;

const codecs: Readonly<Record<string, t.Mixed>> = {
  [Category.StockItem]: StockItemStateCodec,
  [Category.Order]: OrderStateCodec,
  [Category.Delivery]: DeliveryStateCodec,
};

export interface SnapshotPolicy {
  /**
   * The event store whose streams this cache holds states of. A snapshot is only a head start:
   * the events after it always come from this store, and a store's one-read shortcut is taken only
   * when it reads this very store's events.
   */
  readonly events: EventStore;
  /** Write a snapshot once a stream is this many events past its last one. */
  readonly every: number;
  readonly memoryEntries?: number;
}

/**
 * Memory first, durable snapshots behind it. Loading a long stream after a restart then reads its
 * snapshot and the few events after it, not the whole history, in one round trip where the store
 * can; in a running process even that is skipped. A snapshot that does not decode (older schema, damage) is ignored: the stream is the
 * truth and is simply read in full.
 */
export const snapshottingCache = (snapshots: SnapshotStore, policy: SnapshotPolicy): StateCache => {
  const memory = lruStateCache(policy.memoryEntries);
  // Revision of each stream's last durable snapshot, bounded like the states: forgetting one
  // only means the next save for that stream comes a little early.
  const persisted = new Map<string, Revision>();
  const remember = (streamName: string, revision: Revision): void => {
    persisted.delete(streamName);
    persisted.set(streamName, revision);
    if (persisted.size > (policy.memoryEntries ?? 10_000)) {
      const oldest = persisted.keys().next();
      if (oldest.done !== true) persisted.delete(oldest.value);
    }
  };

  /** The stored snapshot's state, if it is of this schema and decodes; else nothing to build on. */
  const decoded = (
    streamName: string,
    snapshot: Snapshot | undefined,
  ): StateAt<unknown> | undefined => {
    const codec = codecs[categoryOf(streamName)];
    if (codec === undefined || snapshot === undefined || snapshot.schema !== STATE_SCHEMA) {
      return undefined;
    }
    const state = codec.decode(snapshot.state);
    if (E.isLeft(state)) return undefined;
    remember(streamName, snapshot.revision);
    return { state: state.right, revision: snapshot.revision };
  };

  const together =
    snapshots.withEvents?.eventsOf === policy.events ? snapshots.withEvents.load : undefined;

  return {
    get: memory.get,
    // One read where the snapshots sit beside this store's events; the tail after a snapshot
    // that does not decode is no use, so then the loader reads the whole stream.
    fill: async (streamName) => {
      if (together === undefined) {
        const base = decoded(streamName, await snapshots.load(streamName));
        return base === undefined ? {} : { base };
      }
      const read = await together(streamName, STATE_SCHEMA);
      if (read.snapshot === undefined) return { newer: read.events };
      const base = decoded(streamName, read.snapshot);
      return base === undefined ? {} : { base, newer: read.events };
    },
    set: async (streamName, value) => {
      memory.set(streamName, value);
      const codec = codecs[categoryOf(streamName)];
      const last = persisted.get(streamName) ?? -1n;
      if (codec === undefined || value.revision - last < BigInt(policy.every)) return;
      remember(streamName, value.revision);
      await snapshots.save(streamName, {
        revision: value.revision,
        state: codec.encode(value.state),
        schema: STATE_SCHEMA,
      });
    },
  };
};
