import type { Snapshot, SnapshotStore } from "@mebel/core";

/** The state kept as JSON text, so no caller shares it; the revision beside it, a bigint. */
interface Kept {
  readonly revision: bigint;
  readonly schema: number;
  readonly state: string;
}

export const createMemorySnapshotStore = (): SnapshotStore => {
  const snapshots = new Map<string, Kept>();
  const load = (streamName: string): Snapshot | undefined => {
    const kept = snapshots.get(streamName);
    return kept === undefined ? undefined : { ...kept, state: JSON.parse(kept.state) as unknown };
  };
  return {
    load: async (streamName) => load(streamName),
    save: async (streamName, snapshot) => {
      const current = snapshots.get(streamName);
      // A slower writer with an older state never overwrites a newer snapshot of the same schema.
      if (current?.schema === snapshot.schema && current.revision >= snapshot.revision) return;
      snapshots.set(streamName, { ...snapshot, state: JSON.stringify(snapshot.state) });
    },
  };
};
