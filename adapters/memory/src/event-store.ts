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

/** A faithful in-process EventStore: one global order, optimistic concurrency, idempotent ids. */
export interface MemoryEventStore extends EventStore {
  /** Every event in global order (for tests and tools). */
  readonly all: () => ReadonlyArray<StoredEvent>;
}

/**
 * An event as kept: data and metadata as JSON text, as a database keeps them. Serialising once on
 * append measures the size, detaches the caller's objects and costs less than a deep copy; every
 * read parses afresh, so no reader can change what another reads.
 */
interface Kept extends Omit<StoredEvent, "data" | "metadata"> {
  readonly data: string;
  readonly metadata: string;
}

const restore = (kept: Kept): StoredEvent => ({
  ...kept,
  data: JSON.parse(kept.data) as unknown,
  metadata: JSON.parse(kept.metadata) as unknown,
});

const matches = (expected: ExpectedRevision, current: number): boolean => {
  if (expected === "any") return true;
  if (expected === "no_stream") return current === -1;
  if (expected === "stream_exists") return current >= 0;
  return expected === current;
};

const conflict = (
  streamName: string,
  expected: ExpectedRevision,
  current: number,
): WrongExpectedRevision => ({
  code: "WRONG_EXPECTED_REVISION",
  message: `Stream ${streamName} is at ${current === -1 ? "no stream" : `revision ${current}`}, expected ${expected}.`,
  details: { streamName, expected, actual: current === -1 ? "no_stream" : current },
});

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
    const found = events.map((e) => byId.get(e.eventId));
    if (found.every((e) => e === undefined)) return "none";
    const first = found[0];
    const contiguous =
      first !== undefined &&
      found.every(
        (e, i) =>
          e !== undefined && e.streamName === streamName && e.revision === first.revision + i,
      );
    const placed =
      typeof expected === "number"
        ? first?.revision === expected + 1
        : expected === "no_stream"
          ? first?.revision === 0
          : true;
    if (!contiguous || !placed) return "partial";
    const last = found[found.length - 1] as Kept;
    return { nextExpectedRevision: last.revision, position: last.position };
  };

  const append: EventStore["append"] = async (streamName, events, expected) => {
    if (events.length === 0) throw new TypeError("An append needs at least one event.");
    const texts = events.map((e) => ({
      data: JSON.stringify(e.data),
      metadata: JSON.stringify(e.metadata),
    }));
    const size = texts.reduce(
      (sum, t) => sum + Buffer.byteLength(t.data) + Buffer.byteLength(t.metadata),
      0,
    );
    if (size > MAX_APPEND_BYTES) {
      throw new RangeError(`Append of ${size} bytes exceeds the limit of ${MAX_APPEND_BYTES}.`);
    }
    const stream = streams.get(streamName) ?? [];
    const current = stream.length - 1;
    const earlier = earlierAppend(streamName, events, expected);
    if (earlier === "partial") return E.left(conflict(streamName, expected, current));
    if (earlier !== "none") return E.right(earlier);
    if (!matches(expected, current)) return E.left(conflict(streamName, expected, current));

    for (const [i, e] of events.entries()) {
      const text = texts[i] as { data: string; metadata: string };
      const stored: Kept = {
        streamName,
        revision: current + 1 + i,
        position: BigInt(log.length + 1),
        eventId: e.eventId,
        type: e.type,
        data: text.data,
        metadata: text.metadata,
      };
      log.push(stored);
      stream.push(stored);
      byId.set(e.eventId, stored);
    }
    streams.set(streamName, stream);
    wakeAll();
    const last = log[log.length - 1] as Kept;
    return E.right({ nextExpectedRevision: last.revision, position: last.position });
  };

  const readStream: EventStore["readStream"] = async (streamName, options = {}) => {
    const stream = streams.get(streamName) ?? [];
    const max = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (options.direction === "backwards") {
      const from = Math.min(options.fromRevision ?? stream.length - 1, stream.length - 1);
      const start = Math.max(0, from - max + 1);
      return stream
        .slice(start, from + 1)
        .reverse()
        .map(restore);
    }
    const from = options.fromRevision ?? 0;
    return stream
      .slice(from, max === Number.POSITIVE_INFINITY ? undefined : from + max)
      .map(restore);
  };

  const readAll: EventStore["readAll"] = async (options = {}): Promise<ReadAllPage> => {
    const max = options.maxCount ?? DEFAULT_READ_BATCH;
    const categories = options.categories === undefined ? undefined : new Set(options.categories);
    const events: StoredEvent[] = [];
    let index = options.after === undefined ? 0 : Number(options.after);
    let position: Position | undefined;
    while (index < log.length && events.length < max) {
      const event = log[index] as Kept;
      if (categories === undefined || categories.has(categoryOf(event.streamName))) {
        events.push(restore(event));
      }
      position = event.position;
      index += 1;
    }
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
