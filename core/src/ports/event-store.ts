import type { Either } from "fp-ts/lib/Either.js";
import type { EventToAppend, Position, Revision, StoredEvent } from "../events/recorded-event.js";
import type { DomainError } from "../shared/domain-error.js";

/**
 * What the writer believes about the stream: anything, that it does not exist, that it exists, or
 * the exact revision (0-based) of its last event. Mirrors EventStoreDB's expected revision.
 */
export type ExpectedRevision = "any" | "no_stream" | "stream_exists" | Revision;

export interface AppendResult {
  /** Revision of the stream's last event after the append: the next append's expected revision. */
  readonly nextExpectedRevision: Revision;
  /** Global position of the last event appended. */
  readonly position: Position;
}

/** The one error every adapter reports for a lost optimistic-concurrency race. */
export type WrongExpectedRevision = DomainError<"WRONG_EXPECTED_REVISION"> & {
  readonly details: {
    readonly streamName: string;
    readonly expected: ExpectedRevision;
    /** Revision of the stream's last event, or "no_stream". */
    readonly actual: Revision | "no_stream";
  };
};

export interface ReadStreamOptions {
  /** First revision to return (forwards) or to start from going back (backwards). */
  readonly fromRevision?: Revision;
  readonly direction?: "forwards" | "backwards";
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events strictly after this position; from the very start when absent. */
  readonly after?: Position;
  readonly maxCount?: number;
  /** Only streams of these categories (the part of the stream name before the first dash). */
  readonly categories?: ReadonlyArray<string>;
}

export interface ReadAllPage {
  readonly events: ReadonlyArray<StoredEvent>;
  /**
   * How far the read got: safe to store as a checkpoint even when a filter matched nothing.
   * Absent when nothing was read at all.
   */
  readonly position?: Position;
  readonly isEnd: boolean;
}

export interface SubscriptionBatch {
  readonly events: ReadonlyArray<StoredEvent>;
  /** Checkpoint to store once the batch is applied (covers filtered-out events too). */
  readonly position: Position;
}

export interface SubscribeOptions {
  readonly after?: Position;
  readonly categories?: ReadonlyArray<string>;
  readonly maxBatch?: number;
}

export interface Subscription {
  /** Stops delivering; resolves once the handler in flight (if any) has returned. */
  readonly stop: () => Promise<void>;
  /** Settles when the subscription ends: resolves after stop(), rejects if it failed. */
  readonly done: Promise<void>;
}

/**
 * The event store port. Every stream has one writer at a time by optimistic concurrency; every
 * event has one place in a single global order, and a subscriber reading that order never misses
 * an event a concurrent writer commits behind it.
 */
export interface EventStore {
  readonly append: (
    streamName: string,
    events: ReadonlyArray<EventToAppend>,
    expected: ExpectedRevision,
  ) => Promise<Either<WrongExpectedRevision, AppendResult>>;
  /** A missing stream reads as no events. */
  readonly readStream: (
    streamName: string,
    options?: ReadStreamOptions,
  ) => Promise<ReadonlyArray<StoredEvent>>;
  readonly readAll: (options?: ReadAllOptions) => Promise<ReadAllPage>;
  /**
   * Catch up from `after`, then follow live appends. Batches are handed over one at a time: the
   * next is not delivered until the handler's promise resolves. A handler that throws ends the
   * subscription (done rejects).
   */
  readonly subscribe: (
    options: SubscribeOptions,
    handler: (batch: SubscriptionBatch) => Promise<void>,
  ) => Subscription;
  /** Position of the newest event in the store, absent when it is empty. */
  readonly head: () => Promise<Position | undefined>;
}

/**
 * The most one append may carry (data and metadata as JSON text, summed over its events). It is
 * EventStoreDB's default, enforced by every adapter so code that works on one store works on all;
 * a larger append is a programming error and rejects (throws), it is not a domain outcome.
 */
export const MAX_APPEND_BYTES = 1_048_576;

/** Default page size of readAll and of subscription batches. */
export const DEFAULT_READ_BATCH = 1_000;
