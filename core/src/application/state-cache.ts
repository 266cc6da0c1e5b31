/** A folded state and the revision of the last event folded into it (-1: no events). */
export interface StateAt<State> {
  readonly state: State;
  readonly revision: number;
}

/**
 * Where loaded states are kept between commands. A hit is never trusted as current: the handler
 * still reads the stream after the cached revision, so a cache only saves the folding of what it
 * already saw. That is what keeps loading a 100,000-event stream as cheap as a short one.
 */
export interface StateCache {
  readonly get: (streamName: string) => Promise<StateAt<unknown> | undefined>;
  readonly set: (streamName: string, value: StateAt<unknown>) => Promise<void>;
}

/** Least-recently-used, bounded by entry count. States are immutable, so sharing them is safe. */
export const lruStateCache = (capacity = 10_000): StateCache => {
  const entries = new Map<string, StateAt<unknown>>();
  return {
    get: async (streamName) => {
      const hit = entries.get(streamName);
      if (hit !== undefined) {
        entries.delete(streamName);
        entries.set(streamName, hit);
      }
      return hit;
    },
    set: async (streamName, value) => {
      const current = entries.get(streamName);
      if (current !== undefined && current.revision > value.revision) return;
      entries.delete(streamName);
      entries.set(streamName, value);
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
    },
  };
};
