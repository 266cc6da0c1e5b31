import type { Snapshot, SnapshotStore } from "@mebel/core";

export const createMemorySnapshotStore = (): SnapshotStore => {
  const snapshots = new Map<string, string>();
  return {
    load: async (streamName) => {
      const json = snapshots.get(streamName);
      return json === undefined ? undefined : (JSON.parse(json) as Snapshot);
    },
    save: async (streamName, snapshot) => {
      const current = snapshots.get(streamName);
      if (current !== undefined && (JSON.parse(current) as Snapshot).revision >= snapshot.revision)
        return;
      snapshots.set(streamName, JSON.stringify(snapshot));
    },
  };
};
