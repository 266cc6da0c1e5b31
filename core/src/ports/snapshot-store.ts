export interface Snapshot {
  /** Revision of the last event folded into the state. */
  readonly revision: number;
  /** The state as JSON; decoded with the aggregate's state codec when loaded. */
  readonly state: unknown;
  /** Bumped when a state's shape changes: older snapshots are then ignored, not misread. */
  readonly schema: number;
}

/** Durable snapshots of aggregate states, one (the latest) per stream. */
export interface SnapshotStore {
  readonly load: (streamName: string) => Promise<Snapshot | undefined>;
  /** Keeps the snapshot only if it is newer than the one stored. */
  readonly save: (streamName: string, snapshot: Snapshot) => Promise<void>;
}
