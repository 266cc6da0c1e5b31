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
  /**
   * `null` deletes the document. With `expected`, commits only if the stored checkpoint is still
   * that position (`null`: none stored), else throws CheckpointMovedError and writes nothing.
   */
  readonly commit: (
    projection: string,
    changes: ReadonlyMap<string, unknown | null>,
    position: Position,
    expected?: Position | null,
  ) => Promise<void>;
  /** Drops every document and the checkpoint. */
  readonly reset: (projection: string) => Promise<void>;
  /**
   * Puts the documents and checkpoint of `source` in place of `target`'s, atomically, and empties
   * `source`: readers see the old model or the new one, never a mix or nothing. A runner of
   * `target` still holding the old checkpoint notices at its next commit and resumes from the new.
   */
  readonly swap: (target: string, source: string) => Promise<void>;
}

/**
 * Thrown by `commit` when the checkpoint is no longer the one the committer started from: the
 * model was swapped or reset under it. The runner reloads and resumes; nothing was written.
 */
export class CheckpointMovedError extends Error {
  override readonly name = "CheckpointMovedError";
}
