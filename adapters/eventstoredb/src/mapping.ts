import {
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Position as ClientPosition,
  type EventData,
  type Filter,
  type JSONType,
  type ResolvedEvent,
  streamNameFilter,
} from "@eventstore/db-client";
import {
  type EventToAppend,
  type ExpectedRevision,
  MAX_APPEND_BYTES,
  type Position,
  type StoredEvent,
  type WrongExpectedRevision,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";

/**
 * A stored event this adapter cannot represent faithfully (no position, a revision beyond a safe
 * integer). Retrying will not help, so a subscription that meets one ends with it, never as a
 * fault of the store.
 */
export class UnreadableEventError extends Error {
  override readonly name = "UnreadableEventError";
}

/** Where checkpoints live: a category no domain code reads, hidden from `$all` reads of this store. */
export const CHECKPOINT_CATEGORY = "MebelCheckpoint";

// ---- revisions -------------------------------------------------------------------------------

/**
 * The server counts revisions in 64 unsigned bits; the port, like PostgreSQL's bigint, in 63. A
 * stream never gets near either, but a value outside the range both share is refused, not wrapped.
 */
const MAX_REVISION = (1n << 63n) - 1n;

export const toClientRevision = (revision: bigint): bigint => {
  if (revision < 0n || revision > MAX_REVISION) {
    throw new RangeError(`A stream revision is a non-negative 64-bit integer, got ${revision}.`);
  }
  return revision;
};

export const fromClientRevision = (revision: bigint): bigint => {
  if (revision < 0n || revision > MAX_REVISION) {
    throw new UnreadableEventError(
      `Stream revision ${revision} is outside the signed 64-bit range.`,
    );
  }
  return revision;
};

/** Our names are the client's values for the three states; a bigint is the last event's revision. */
export const toClientExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision =>
  typeof expected === "bigint" ? toClientRevision(expected) : expected;

// ---- positions -------------------------------------------------------------------------------

const HALF = 64n;
const HALF_MASK = (1n << HALF) - 1n;
/** The server's "no position" (uint64 max): stream reads of servers before 22.6 carry it. */
const NO_POSITION = HALF_MASK;

/**
 * (commit, prepare) as one bigint: `$all` is ordered by commit, then prepare, and each half is an
 * unsigned 64-bit number, so `commit << 64 | prepare` keeps both the values and their order.
 */
/** False for the server's "no position" and anything else outside two unsigned 64-bit halves. */
export const isUsablePosition = ({ commit, prepare }: ClientPosition): boolean =>
  commit >= 0n && commit < NO_POSITION && prepare >= 0n && prepare < NO_POSITION;

export const packPosition = (position: ClientPosition): Position => {
  const { commit, prepare } = position;
  if (!isUsablePosition(position)) {
    throw new UnreadableEventError(
      `EventStoreDB gave no usable position (${commit}/${prepare}); stream reads carry positions from server 22.6 on.`,
    );
  }
  return (commit << HALF) | prepare;
};

export const unpackPosition = (position: Position): ClientPosition => {
  if (position < 0n || position >> (2n * HALF) !== 0n) {
    throw new RangeError(`Position ${position} was not made by this adapter.`);
  }
  return { commit: position >> HALF, prepare: position & HALF_MASK };
};

// ---- stored events ---------------------------------------------------------------------------

const utf8 = new TextDecoder();

/** Bytes that hold JSON become the value; anything else stays text, for the decoder to reject. */
const fromBytes = (bytes: Uint8Array): unknown => {
  const text = utf8.decode(bytes);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const toStoredEvent = (resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent => {
  const recorded = resolved.event;
  if (recorded === undefined) {
    throw new UnreadableEventError("EventStoreDB returned a link whose event is gone.");
  }
  if (recorded.position === undefined) {
    throw new UnreadableEventError(
      `EventStoreDB returned ${recorded.streamId}@${recorded.revision} without a position.`,
    );
  }
  const { data, metadata } = recorded;
  return {
    streamName: recorded.streamId,
    revision: fromClientRevision(recorded.revision),
    position: packPosition(recorded.position),
    eventId: recorded.id,
    type: recorded.type,
    data: data instanceof Uint8Array ? fromBytes(data) : data,
    metadata:
      metadata === undefined
        ? null
        : metadata instanceof Uint8Array
          ? fromBytes(metadata)
          : metadata,
  };
};

// ---- appends ---------------------------------------------------------------------------------

interface EventStoreDbEventIdBrand {
  readonly EventStoreDbEventId: unique symbol;
}

const LOWER_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * An event id the server keeps as given: it stores a Guid and answers with its lower-case text,
 * so any other spelling would come back as another id; and it refuses the nil UUID.
 */
export const EventStoreDbEventId = t.brand(
  t.string,
  (id): id is t.Branded<string, EventStoreDbEventIdBrand> => LOWER_UUID.test(id) && id !== NIL_UUID,
  "EventStoreDbEventId",
);

interface EventStoreDbEventTypeBrand {
  readonly EventStoreDbEventType: unique symbol;
}

/** The server refuses an event without a type. */
export const EventStoreDbEventType = t.brand(
  t.string,
  (type): type is t.Branded<string, EventStoreDbEventTypeBrand> => type.length > 0,
  "EventStoreDbEventType",
);

/** The one error for an append too large, whether we or the server found it so. */
export const appendTooLarge = (
  limit: number,
  size?: number,
  options?: { readonly cause: unknown },
): RangeError =>
  new RangeError(
    `Append${size === undefined ? "" : ` of ${size} bytes`} exceeds the limit of ${limit} bytes (data, metadata and twice the type of each event).`,
    options,
  );

/** What the client sends as text: JSON.stringify, and metadata only when there is some. */
const jsonBytes = (value: unknown, what: string): number => {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`The ${what} of an event must be JSON.`);
  return Buffer.byteLength(text);
};

/**
 * An append's size as the server's batch call counts it against `--max-append-size`: per event,
 * its data and metadata bytes and twice the length of its type (UTF-16 code units). Older servers
 * counted less (data alone on the classic call): this is the strictest count, so what passes here
 * passes there, unless the server is configured below MAX_APPEND_BYTES.
 */
export const appendSize = (events: ReadonlyArray<EventToAppend>): number =>
  events.reduce(
    (sum, e) =>
      sum +
      jsonBytes(e.data, "data") +
      (e.metadata ? jsonBytes(e.metadata, "metadata") : 0) +
      2 * e.type.length,
    0,
  );

/** Programming errors, thrown before anything is sent (the port's rule for every adapter). */
export const assertAppendable = (events: ReadonlyArray<EventToAppend>): void => {
  if (events.length === 0) throw new TypeError("An append needs at least one event.");
  for (const e of events) {
    if (E.isLeft(EventStoreDbEventId.decode(e.eventId))) {
      throw new TypeError(
        `EventStoreDB needs event ids to be lower-case UUIDs other than the nil UUID (it gives ids back in lower case), got "${e.eventId}".`,
      );
    }
    if (E.isLeft(EventStoreDbEventType.decode(e.type))) {
      throw new TypeError(`EventStoreDB refuses an event without a type (event ${e.eventId}).`);
    }
  }
  const size = appendSize(events);
  if (size > MAX_APPEND_BYTES) throw appendTooLarge(MAX_APPEND_BYTES, size);
};

/** Our event id becomes the client's: the server recognises a retried append by it. */
export const toEventData = (event: EventToAppend): EventData => ({
  id: event.eventId,
  contentType: "application/json",
  type: event.type,
  // assertAppendable has checked that both serialise to JSON text.
  data: event.data as JSONType,
  metadata: event.metadata,
});

// ---- conflicts -------------------------------------------------------------------------------

export const wrongExpectedRevision = (
  streamName: string,
  expected: ExpectedRevision,
  actualVersion: bigint | "no_stream",
): WrongExpectedRevision => {
  const actual =
    actualVersion === "no_stream" || actualVersion < 0n
      ? "no_stream"
      : fromClientRevision(actualVersion);
  return {
    code: "WRONG_EXPECTED_REVISION",
    message: `Stream ${streamName} is at ${actual === "no_stream" ? "no stream" : `revision ${actual}`}, expected ${expected}.`,
    details: { streamName, expected, actual },
  };
};

// ---- which events a read or subscription shows -----------------------------------------------

const prefixOf = (category: string): string => `${category}-`;
const checkpointPrefix = prefixOf(CHECKPOINT_CATEGORY);

/** System streams and types start with `$`; checkpoints are bookkeeping, not events of the log. */
const isDomainEvent = (streamName: string, type: string): boolean =>
  !streamName.startsWith("$") && !type.startsWith("$") && !streamName.startsWith(checkpointPrefix);

/**
 * The events a read with these categories returns. A category matches the stream-name prefix
 * `Category-`, exactly what the server-side filter of a subscription matches.
 */
export const eventFilter = (
  categories: ReadonlyArray<string> | undefined,
): ((streamName: string, type: string) => boolean) => {
  if (categories === undefined) return isDomainEvent;
  const prefixes = categories.map(prefixOf);
  return (streamName, type) =>
    isDomainEvent(streamName, type) && prefixes.some((p) => streamName.startsWith(p));
};

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The server-side filter of a subscription to `$all`, so filtered-out events never cross the
 * wire. Without categories it drops system streams and checkpoints; `$`-typed events that live in
 * ordinary streams are dropped by `eventFilter` on our side.
 */
export const subscriptionFilter = (
  categories: ReadonlyArray<string> | undefined,
  checkpointReached: NonNullable<Filter["checkpointReached"]>,
  checkpointEvery: { readonly maxSearchWindow: number; readonly checkpointInterval: number },
): Filter => {
  const common = { checkpointReached, ...checkpointEvery };
  if (categories === undefined) {
    return streamNameFilter({ regex: `^(?!\\$|${escapeRegex(checkpointPrefix)})`, ...common });
  }
  // An empty prefix list is not a filter the server documents: match nothing explicitly instead.
  if (categories.length === 0) return streamNameFilter({ regex: "(?!)", ...common });
  return streamNameFilter({ prefixes: categories.map(prefixOf), ...common });
};
