import type { Locks } from "@mebel/core";

export const createMemoryLocks = (): Locks => {
  // Each acquisition gets its own token, so a late second release by a former holder cannot free
  // the lock someone else holds now.
  const held = new Map<string, symbol>();
  return {
    tryAcquire: async (name) => {
      if (held.has(name)) return undefined;
      const token = Symbol(name);
      held.set(name, token);
      return async () => {
        if (held.get(name) === token) held.delete(name);
      };
    },
  };
};
