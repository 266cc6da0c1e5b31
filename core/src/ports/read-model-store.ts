import type { Position } from "../events/recorded-event.js";

/**
 * Documents of one projection, keyed by string, with the projection's checkpoint beside them.
 * `commit` writes the changed documents and the checkpoint atomically: a crash leaves either both
 * or neither, which is what makes at-least-once delivery apply exactly once.
 */
export interface ReadModelStore {
  readonly checkpoint: (projection: string) => Promise<Position | undefined>;
  /** Raw JSON documents for the keys that exist. */
  readonly getMany: (
    projection: string,
    keys: ReadonlyArray<string>,
  ) => Promise<ReadonlyMap<string, unknown>>;
  /** Every document of the projection, in key order. */
  readonly list: (
    projection: string,
  ) => Promise<ReadonlyArray<{ readonly key: string; readonly doc: unknown }>>;
  /** `null` deletes the document. */
  readonly commit: (
    projection: string,
    changes: ReadonlyMap<string, unknown | null>,
    position: Position,
  ) => Promise<void>;
  /** Drops every document and the checkpoint. */
  readonly reset: (projection: string) => Promise<void>;
}
