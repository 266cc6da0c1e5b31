import type { Locks } from "@mebel/core";

/** Locks in memory, as one instance of an app holds them on its own session. */
export interface MemoryLocks extends Locks {
  /** Another instance on the same locks, as a second process on the same database would be. */
  readonly instance: () => MemoryLocks;
  /**
   * Loses every lock this instance holds, as a dropped database session would: each holder's
   * `onLost` is called and the locks are free for anyone.
   */
  readonly dropSession: (reason?: Error) => void;
}

interface Holder {
  readonly owner: symbol;
  readonly token: symbol;
  readonly onLost?: (reason: Error) => void;
}

const instanceOn = (held: Map<string, Holder>): MemoryLocks => {
  const owner = Symbol("instance");
  return {
    // Each acquisition gets its own token, so a late second release by a former holder cannot
    // free the lock someone else holds now.
    tryAcquire: async (name, onLost) => {
      if (held.has(name)) return undefined;
      const token = Symbol(name);
      held.set(name, { owner, token, ...(onLost === undefined ? {} : { onLost }) });
      return async () => {
        if (held.get(name)?.token === token) held.delete(name);
      };
    },
    instance: () => instanceOn(held),
    dropSession: (reason = new Error("The lock session dropped.")) => {
      for (const [name, holder] of [...held]) {
        if (holder.owner !== owner) continue;
        held.delete(name);
        holder.onLost?.(reason);
      }
    },
  };
};

export const createMemoryLocks = (): MemoryLocks => instanceOn(new Map());
