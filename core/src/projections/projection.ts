import type * as t from "io-ts";
import type { DomainEvent } from "../domain/events.js";
import type { Category } from "../domain/streams.js";
import type { RecordedEvent } from "../events/recorded-event.js";
import type { IndexEntry } from "../ports/read-model-store.js";

export type DomainRecordedEvent = RecordedEvent<DomainEvent>;

/**
 * A read model as a pure reducer over documents. Every document remembers, per stream, the last
 * revision it has applied, so an event delivered twice changes it once (at-least-once delivery
 * becomes exactly-once effect without the runner's help).
 */
export interface Projection<View extends Versioned> {
  readonly name: string;
  /** Bump to make runners rebuild the read model from zero. */
  readonly version: number;
  /** Stream categories it reads: lets a store filter the global log before sending it. */
  readonly categories: ReadonlyArray<Category>;
  /** Decodes a stored document: read models cross a boundary like any other bytes. */
  readonly codec: t.Type<View, unknown, unknown>;
  /** Keys of the documents an event touches; none when the event is not for this projection. */
  readonly keysOf: (event: DomainRecordedEvent) => ReadonlyArray<string>;
  /**
   * The document after the event; `undefined` in means not there yet. Returning `undefined` for an
   * existing document deletes it, which the back office's projections never do: a deleted document
   * forgets the revisions it applied, so a redelivered older event could bring it back.
   */
  readonly apply: (
    doc: View | undefined,
    event: DomainRecordedEvent,
    key: string,
  ) => View | undefined;
  /**
   * The lists a document appears in, by index name: its group and sort value there, or
   * `undefined` to leave it out. Stores keep them as indexed columns, so queries page through a
   * group instead of scanning every document.
   */
  readonly indexes?: ViewIndexes<View>;
}

export type ViewIndexes<View> = Readonly<
  Record<string, (view: View) => { readonly group: string; readonly sort: string } | undefined>
>;

/** A document's entries in every index of its projection. */
export const indexEntriesOf = <View extends Versioned>(
  indexes: ViewIndexes<View>,
  view: View,
): ReadonlyArray<IndexEntry> => {
  const entries: IndexEntry[] = [];
  for (const index in indexes) {
    const at = indexes[index]?.(view);
    if (at !== undefined) entries.push({ index, group: at.group, sort: at.sort });
  }
  return entries;
};

export interface Versioned {
  /**
   * Stream name to the revision of the last event of it that this document has applied, in
   * decimal (documents are JSON).
   */
  readonly revisions: Readonly<Record<string, string>>;
}

export const hasApplied = (doc: Versioned | undefined, event: DomainRecordedEvent): boolean => {
  const seen = doc?.revisions[event.streamName];
  return seen !== undefined && BigInt(seen) >= event.revision;
};

export const markApplied = <View extends Versioned>(
  view: View,
  event: DomainRecordedEvent,
): View => ({ ...view, revisions: revisionsAfter(view.revisions, event) });

/**
 * Wraps a reducer so that it sees every (document, event) pair at most once, however often the
 * event is delivered: the one place idempotency is implemented.
 */
export const idempotent =
  <View extends Versioned>(
    reduce: (doc: View | undefined, event: DomainRecordedEvent, key: string) => View | undefined,
  ) =>
  (doc: View | undefined, event: DomainRecordedEvent, key: string): View | undefined => {
    if (hasApplied(doc, event)) return doc;
    const next = reduce(doc, event, key);
    return next === undefined ? undefined : markApplied(next, event);
  };

/** The revisions a document carries once it has applied the event. */
export const revisionsAfter = (
  revisions: Versioned["revisions"],
  event: DomainRecordedEvent,
): Versioned["revisions"] => ({ ...revisions, [event.streamName]: event.revision.toString() });

/**
 * `idempotent` for a reducer that builds the next document whole, as one object literal: it is
 * handed the revisions that document must carry, so the document is made once instead of made
 * and then copied again to be marked (copies by spread are what a replay spends most on). A
 * reducer that ignores the event returns `doc` itself, which is then marked as `idempotent` would.
 */
export const idempotentWhole =
  <View extends Versioned>(
    reduce: (
      doc: View | undefined,
      event: DomainRecordedEvent,
      key: string,
      revisions: Versioned["revisions"],
    ) => View | undefined,
  ) =>
  (doc: View | undefined, event: DomainRecordedEvent, key: string): View | undefined => {
    if (hasApplied(doc, event)) return doc;
    const next = reduce(doc, event, key, revisionsAfter(doc?.revisions ?? {}, event));
    return next !== undefined && next === doc ? markApplied(next, event) : next;
  };

/** Applies one event to a map of documents: the incremental step of a projection. */
export const applyEvent = <View extends Versioned>(
  projection: Projection<View>,
  docs: ReadonlyMap<string, View>,
  event: DomainRecordedEvent,
): ReadonlyMap<string, View> => {
  const keys = projection.keysOf(event);
  if (keys.length === 0) return docs;
  const next = new Map(docs);
  for (const key of keys) {
    const doc = projection.apply(next.get(key), event, key);
    if (doc === undefined) next.delete(key);
    else next.set(key, doc);
  }
  return next;
};

/** The whole read model from a sequence of events, in memory: what a replay from zero builds. */
export const replay = <View extends Versioned>(
  projection: Projection<View>,
  events: Iterable<DomainRecordedEvent>,
): ReadonlyMap<string, View> => {
  const docs = new Map<string, View>();
  for (const event of events) {
    for (const key of projection.keysOf(event)) {
      const doc = projection.apply(docs.get(key), event, key);
      if (doc === undefined) docs.delete(key);
      else docs.set(key, doc);
    }
  }
  return docs;
};

/**
 * A projection of some view, for lists of projections that are run alike. Erasing the view type is
 * safe because a runner only ever hands a document back to the projection that made it.
 */
// biome-ignore lint/suspicious/noExplicitAny: the view type is existential, see above
export type AnyProjection = Projection<any>;
