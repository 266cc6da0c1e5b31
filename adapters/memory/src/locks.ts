import type { Locks } from "@mebel/core";

export const createMemoryLocks = (): Locks => {
  const held = new Set<string>();
  return {
    tryAcquire: async (name) => {
      if (held.has(name)) return undefined;
      held.add(name);
      return async () => {
        held.delete(name);
      };
    },
  };
};
