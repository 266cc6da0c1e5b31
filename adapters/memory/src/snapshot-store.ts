import type { Snapshot, SnapshotStore } from "@mebel/core";

export const createMemorySnapshotStore = (): SnapshotStore => {
  const snapshots = new Map<string, string>();
  const load = (streamName: string): Snapshot | undefined => {
    const json = snapshots.get(streamName);
    return json === undefined ? undefined : (JSON.parse(json) as Snapshot);
  };
  return {
    load: async (streamName) => load(streamName),
    save: async (streamName, snapshot) => {
      const current = load(streamName);
      // A slower writer with an older state never overwrites a newer snapshot of the same schema.
      if (current?.schema === snapshot.schema && current.revision >= snapshot.revision) return;
      snapshots.set(streamName, JSON.stringify(snapshot));
    },
  };
};
