import type { CheckpointStore, Position } from "@mebel/core";

export const createMemoryCheckpointStore = (): CheckpointStore => {
  const positions = new Map<string, Position>();
  return {
    load: async (name) => positions.get(name),
    save: async (name, position) => {
      positions.set(name, position);
    },
  };
};
