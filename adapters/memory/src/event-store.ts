import {
  type AppendResult,
  categoryOf,
  DEFAULT_READ_BATCH,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  MAX_APPEND_BYTES,
  type Position,
  type ReadAllPage,
  type StoredEvent,
  type WrongExpectedRevision,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { followLog } from "./follow-log.js";
import { type Bound, cloneJson, jsonBytes, jsonCopy } from "./json-copy.js";

/** A faithful in-process EventStore: one global order, optimistic concurrency, idempotent ids. */
export interface MemoryEventStore extends EventStore {
  /** Every event in global order (for tests and tools). */
  readonly all: () => ReadonlyArray<StoredEvent>;
}

/**
 * An event as kept: data and metadata as a JSON store would give them back, in copies of the
 * store's own. No caller ever holds them: an append copies what it is given, and every read
 * copies again, so no reader can change what another reads. (Keeping JSON text did the same, but
 * writing and parsing the text cost more than the rest of an append together.) The position and
 * the revision are kept as numbers (indexes into arrays) and made bigints on the way out, heap
 * objects fewer per event.
 */
interface Kept extends Omit<StoredEvent, "position" | "revision"> {
  readonly revision: number;
  readonly position: number;
}

const restore = (kept: Kept): StoredEvent => ({
  streamName: kept.streamName,
  revision: BigInt(kept.revision),
  position: BigInt(kept.position),
  eventId: kept.eventId,
  type: kept.type,
  data: cloneJson(kept.data),
  metadata: cloneJson(kept.metadata),
});

const matches = (expected: ExpectedRevision, current: number): boolean => {
  if (expected === "any") return true;
  if (expected === "no_stream") return current === -1;
  if (expected === "stream_exists") return current >= 0;
  return expected === BigInt(current);
};

const conflict = (
  streamName: string,
  expected: ExpectedRevision,
  current: number,
): WrongExpectedRevision => ({
  code: "WRONG_EXPECTED_REVISION",
  message: `Stream ${streamName} is at ${current === -1 ? "no stream" : `revision ${current}`}, expected ${expected}.`,
  details: { streamName, expected, actual: current === -1 ? "no_stream" : BigInt(current) },
});

/** A revision as an index into a stream's array; one past any array for a revision beyond them. */
const indexOf = (revision: bigint | undefined): number | undefined =>
  revision === undefined
    ? undefined
    : revision > BigInt(Number.MAX_SAFE_INTEGER)
      ? Number.MAX_SAFE_INTEGER
      : Number(revision);

export const createMemoryEventStore = (): MemoryEventStore => {
  const log: Kept[] = [];
  const streams = new Map<string, Kept[]>();
  const byId = new Map<string, Kept>();
  const waiters = new Set<() => void>();

  const wakeAll = (): void => {
    for (const wake of waiters) wake();
    waiters.clear();
  };

  /** The earlier append these ids belong to, when the whole batch was written before, in order. */
  const earlierAppend = (
    streamName: string,
    events: ReadonlyArray<EventToAppend>,
    expected: ExpectedRevision,
  ): AppendResult | "none" | "partial" => {
    let known = false;
    for (const e of events) {
      if (byId.has(e.eventId)) {
        known = true;
        break;
      }
    }
    if (!known) return "none";
    const found = events.map((e) => byId.get(e.eventId));
    const first = found[0];
    const contiguous =
      first !== undefined &&
      found.every(
        (e, i) =>
          e !== undefined && e.streamName === streamName && e.revision === first.revision + i,
      );
    const placed =
      typeof expected === "bigint"
        ? first !== undefined && BigInt(first.revision) === expected + 1n
        : expected === "no_stream"
          ? first?.revision === 0
          : true;
    if (!contiguous || !placed) return "partial";
    const last = found[found.length - 1] as Kept;
    return { nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position) };
  };

  const appendNow = (
    streamName: string,
    events: ReadonlyArray<EventToAppend>,
    expected: ExpectedRevision,
  ): E.Either<WrongExpectedRevision, AppendResult> => {
    if (events.length === 0) throw new TypeError("An append needs at least one event.");
    // The events of one command share their metadata object: it is copied once.
    const data = new Array<unknown>(events.length);
    const metadata = new Array<unknown>(events.length);
    const bound: Bound = { bytes: 0 };
    let metadataOf: unknown;
    let metadataCopy: unknown;
    let metadataBytes = 0;
    for (let i = 0; i < events.length; i += 1) {
      const e = events[i] as EventToAppend;
      if (i === 0 || e.metadata !== metadataOf) {
        const start = bound.bytes;
        metadataOf = e.metadata;
        metadataCopy = jsonCopy(e.metadata, bound);
        metadataBytes = bound.bytes - start;
      } else {
        bound.bytes += metadataBytes;
      }
      data[i] = jsonCopy(e.data, bound);
      metadata[i] = metadataCopy;
    }
    if (bound.bytes > MAX_APPEND_BYTES) {
      let size = 0;
      for (let i = 0; i < events.length; i += 1) {
        size += jsonBytes(data[i]) + jsonBytes(metadata[i]);
      }
      if (size > MAX_APPEND_BYTES) {
        throw new RangeError(`Append of ${size} bytes exceeds the limit of ${MAX_APPEND_BYTES}.`);
      }
    }
    const existing = streams.get(streamName);
    const stream = existing ?? [];
    const current = stream.length - 1;
    const earlier = earlierAppend(streamName, events, expected);
    if (earlier === "partial") return E.left(conflict(streamName, expected, current));
    if (earlier !== "none") return E.right(earlier);
    if (!matches(expected, current)) return E.left(conflict(streamName, expected, current));

    let last: Kept | undefined;
    for (let i = 0; i < events.length; i += 1) {
      const e = events[i] as EventToAppend;
      last = {
        streamName,
        revision: current + 1 + i,
        position: log.length + 1,
        eventId: e.eventId,
        type: e.type,
        data: data[i],
        metadata: metadata[i],
      };
      log.push(last);
      stream.push(last);
      byId.set(e.eventId, last);
    }
    if (existing === undefined) streams.set(streamName, stream);
    if (waiters.size > 0) wakeAll();
    const { revision, position } = last as Kept;
    return E.right({ nextExpectedRevision: BigInt(revision), position: BigInt(position) });
  };

  // Not an async function: the append is done in the caller's turn, and a plain resolved promise
  // is all the port asks; an async function would add a suspended frame per call to the garbage.
  const append: EventStore["append"] = (streamName, events, expected) => {
    try {
      return Promise.resolve(appendNow(streamName, events, expected));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const readStream: EventStore["readStream"] = async (streamName, options = {}) => {
    const stream = streams.get(streamName) ?? [];
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (options.direction === "backwards") {
      const from = Math.min(indexOf(options.fromRevision) ?? stream.length - 1, stream.length - 1);
      const start = Math.max(0, from - max + 1);
      return stream
        .slice(start, from + 1)
        .reverse()
        .map(restore);
    }
    const from = indexOf(options.fromRevision) ?? 0;
    return stream
      .slice(from, max === Number.POSITIVE_INFINITY ? undefined : from + max)
      .map(restore);
  };

  const readAll: EventStore["readAll"] = async (options = {}): Promise<ReadAllPage> => {
    const max = options.maxCount ?? DEFAULT_READ_BATCH;
    const categories = options.categories === undefined ? undefined : new Set(options.categories);
    const events: StoredEvent[] = [];
    let index = options.after === undefined ? 0 : Number(options.after);
    let last: Kept | undefined;
    while (index < log.length && events.length < max) {
      const event = log[index] as Kept;
      if (categories === undefined || categories.has(categoryOf(event.streamName))) {
        events.push(restore(event));
      }
      last = event;
      index += 1;
    }
    const position: Position | undefined = last === undefined ? undefined : BigInt(last.position);
    return position === undefined
      ? { events, isEnd: index >= log.length }
      : { events, position, isEnd: index >= log.length };
  };

  const nextAppend = (): { promise: Promise<void>; cancel: () => void } => {
    let wake = (): void => {};
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
    });
    waiters.add(wake);
    return {
      promise,
      cancel: () => {
        waiters.delete(wake);
        wake();
      },
    };
  };

  return {
    append,
    readStream,
    readAll,
    subscribe: (options, handler) => followLog({ readAll, nextAppend }, options, handler),
    head: async () => (log.length === 0 ? undefined : BigInt(log.length)),
    all: () => log.map(restore),
  };
};
