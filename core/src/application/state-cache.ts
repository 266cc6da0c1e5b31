import type { Revision, StoredEvent } from "../events/recorded-event.js";

/** A folded state and the revision of the last event folded into it (-1: no events). */
export interface StateAt<State> {
  readonly state: State;
  readonly revision: Revision;
}

/**
 * Where loaded states are kept between commands. A hit is never trusted as current: the handler
 * still reads the stream after the cached revision, so a cache only saves the folding of what it
 * already saw. That is what keeps loading a 100,000-event stream as cheap as a short one.
 *
 * A cache in memory answers at once and one behind a store answers with a promise; callers take
 * either (`await` does), so the in-memory one costs no promise per command.
 */
export interface StateCache {
  readonly get: (
    streamName: string,
  ) => StateAt<unknown> | undefined | Promise<StateAt<unknown> | undefined>;
  readonly set: (streamName: string, value: StateAt<unknown>) => undefined | Promise<void>;
  /**
   * For a cache backed by durable storage: what it can read there for a stream `get` does not
   * hold. The loader folds the events after it and hands the result back through `set`.
   */
  readonly fill?: (streamName: string) => Promise<CacheFill>;
}

/** What a cache read from durable storage for a stream it did not hold. */
export interface CacheFill {
  /** A stored state to fold onto; absent, the aggregate's initial state. */
  readonly base?: StateAt<unknown>;
  /** The stream's events after `base`, when they came in the same read; absent, the loader reads them. */
  readonly newer?: ReadonlyArray<StoredEvent>;
}

/** Least-recently-used, bounded by entry count. States are immutable, so sharing them is safe. */
export const lruStateCache = (capacity = 10_000) => {
  const entries = new Map<string, StateAt<unknown>>();
  // The entry last touched is already the newest: moving it again would only churn the map,
  // and a command touches its stream twice (get, then set).
  let newest: string | undefined;
  const touch = (streamName: string, value: StateAt<unknown>): void => {
    if (streamName !== newest) {
      entries.delete(streamName);
      newest = streamName;
    }
    entries.set(streamName, value);
  };
  return {
    get: (streamName: string): StateAt<unknown> | undefined => {
      const hit = entries.get(streamName);
      if (hit !== undefined) touch(streamName, hit);
      return hit;
    },
    set: (streamName: string, value: StateAt<unknown>): undefined => {
      const current = entries.get(streamName);
      if (current !== undefined && current.revision > value.revision) return;
      touch(streamName, value);
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
    },
  } satisfies StateCache;
};
