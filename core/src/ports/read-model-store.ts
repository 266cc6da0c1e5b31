import type { Position } from "../events/recorded-event.js";

/**
 * A document's place in one of its projection's indexes: within `group` (a customer, a stage, a
 * courier), ordered by `sort` and then by key. A store keeps these as real indexed columns, so a
 * page of a group costs the same with a thousand documents as with a hundred thousand.
 */
export interface IndexEntry {
  readonly index: string;
  readonly group: string;
  readonly sort: string;
}

/** Where a page starts: after this (sort, key), in the page's direction. */
export interface PagePosition {
  readonly sort: string;
  readonly key: string;
}

export interface PageQuery {
  readonly index: string;
  readonly group: string;
  readonly order: "asc" | "desc";
  readonly limit: number;
  readonly after?: PagePosition;
}

export interface PagedDoc {
  readonly key: string;
  readonly sort: string;
  readonly doc: unknown;
}

/**
 * When a stored checkpoint last moved, told by the store's own clock: how long a subscriber has
 * not moved is a fact of the store, the same for every instance and across restarts.
 */
export interface CheckpointAge {
  /** ISO-8601 instant of the write that last moved it. */
  readonly movedAt: string;
  readonly seconds: number;
}

/**
 * Documents of one projection, keyed by string, with the projection's checkpoint beside them.
 * `commit` writes the changed documents and the checkpoint atomically: a crash leaves either both
 * or neither, which is what makes at-least-once delivery apply exactly once.
 */
export interface ReadModelStore {
  readonly checkpoint: (projection: string) => Promise<Position | undefined>;
  /** Every stored checkpoint's age, by the name it is stored under (a subscriber's name). */
  readonly checkpointAges: () => Promise<ReadonlyMap<string, CheckpointAge>>;
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
   * With `index`, every changed key's index entries become the ones given for it (none when it
   * is missing from the map), in the same transaction; without it, entries are left as they are.
   */
  readonly commit: (
    projection: string,
    changes: ReadonlyMap<string, unknown | null>,
    position: Position,
    expected?: Position | null,
    index?: ReadonlyMap<string, ReadonlyArray<IndexEntry>>,
  ) => Promise<void>;
  /** Up to `limit` documents of one group of an index, in (sort, key) order, after `after`. */
  readonly page: (projection: string, query: PageQuery) => Promise<ReadonlyArray<PagedDoc>>;
  /** Drops every document, its index entries and the checkpoint. */
  readonly reset: (projection: string) => Promise<void>;
  /**
   * Puts the documents, index entries and checkpoint of `source` in place of `target`'s, atomically, and empties
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
