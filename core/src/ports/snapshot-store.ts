import type { Revision, StoredEvent } from "../events/recorded-event.js";
import type { EventStore } from "./event-store.js";

export interface Snapshot {
  /** Revision of the last event folded into the state. */
  readonly revision: Revision;
  /** The state as JSON; decoded with the aggregate's state codec when loaded. */
  readonly state: unknown;
  /** Bumped when a state's shape changes: older snapshots are then ignored, not misread. */
  readonly schema: number;
}

/** A stream's snapshot and the events stored after it, read together. */
export interface SnapshotAndEvents {
  readonly snapshot: Snapshot | undefined;
  /** After the snapshot's revision; the whole stream when there is no snapshot of that schema. */
  readonly events: ReadonlyArray<StoredEvent>;
}

/** Durable snapshots of aggregate states, one (the latest) per stream. */
export interface SnapshotStore {
  readonly load: (streamName: string) => Promise<Snapshot | undefined>;
  /**
   * Offered where the snapshots sit in the same database as the events of one event store: the
   * snapshot of `schema` and the stream's events after it in one read, so loading an aggregate
   * that no cache holds costs one round trip, not two. `eventsOf` names that event store: the
   * read is worth something only to a loader of that very store, and reading "the events after
   * the snapshot" anywhere else (another schema's empty table) would load every stream as new.
   */
  readonly withEvents?: {
    readonly eventsOf: EventStore;
    readonly load: (streamName: string, schema: number) => Promise<SnapshotAndEvents>;
  };
  /** Keeps the snapshot only if it is newer than the one stored. */
  readonly save: (streamName: string, snapshot: Snapshot) => Promise<void>;
}
