import {
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  BACKWARDS,
  END,
  type EventData,
  type EventStoreDBClient,
  FORWARDS,
  START,
} from "@eventstore/db-client";
import {
  type AppendResult,
  DEFAULT_READ_BATCH,
  type EventStore,
  type ExpectedRevision,
  isStoreUnavailable,
  type Position,
  type ReadAllPage,
  type StoredEvent,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { openAllSubscription } from "./all-subscription.js";
import { type CatchUpTiming, runCatchUp } from "./catch-up.js";
import {
  adapterError,
  isStreamNotFound,
  isTransient,
  isWrongExpectedVersion,
  mayRetryAppend,
  reporting,
  unavailable,
} from "./errors.js";
import {
  assertAppendable,
  eventFilter,
  fromClientRevision,
  isUsablePosition,
  packPosition,
  toClientExpectedRevision,
  toClientRevision,
  toEventData,
  toStoredEvent,
  unpackPosition,
  wrongExpectedRevision,
} from "./mapping.js";
import { type ReadOutcome, visitRead } from "./streaming-read.js";

/** Structurally the `warn` of core's Logger, so any logger of the app fits. */
export interface WarnLogger {
  readonly warn: (fields: Readonly<Record<string, unknown>>, message: string) => void;
}

export interface EventStoreDbOptions {
  /** Told what the checkpoint store could not do on the side (trimming its streams). */
  readonly logger?: WarnLogger;
  readonly subscriptionTiming?: Partial<CatchUpTiming>;
}

/** Events a filtered readAll may pass over before it returns a page with only a checkpoint. */
const SCAN_WINDOW = DEFAULT_READ_BATCH;
/** head() reads `$all` backwards in pages of this size until it finds an event of ours. */
const HEAD_PAGE = 64;
const APPEND_ATTEMPTS = 3;
const APPEND_RETRY_MS = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const createEventStoreDbEventStore = (
  client: EventStoreDBClient,
  options: EventStoreDbOptions = {},
): EventStore => {
  const readStream: EventStore["readStream"] = async (streamName, read = {}) => {
    if (read.maxCount !== undefined && read.maxCount <= 0) return [];
    const backwards = read.direction === "backwards";
    const start = backwards ? END : START;
    const events: StoredEvent[] = [];
    try {
      await visitRead(
        client.readStream(streamName, {
          direction: backwards ? BACKWARDS : FORWARDS,
          fromRevision:
            read.fromRevision === undefined ? start : toClientRevision(read.fromRevision),
          ...(read.maxCount === undefined ? {} : { maxCount: read.maxCount }),
        }),
        (resolved) => {
          events.push(toStoredEvent(resolved));
          return true;
        },
      );
    } catch (error) {
      // The client reports a missing stream while iterating, not when the read is made. A
      // soft-deleted stream reads the same way.
      if (isStreamNotFound(error)) return [];
      throw adapterError(error, `read stream ${streamName}`, streamName);
    }
    return events;
  };

  /** An idempotent repeat may get no position back: the event at that revision has it. */
  const positionAt = async (streamName: string, revision: bigint): Promise<Position> => {
    const [event] = await readStream(streamName, { fromRevision: revision, maxCount: 1 });
    if (event === undefined) {
      throw new Error(`${streamName}@${revision} was acknowledged but cannot be read back.`);
    }
    return event.position;
  };

  const appendOnce = async (
    streamName: string,
    events: EventData[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> => {
    const result = await client.appendToStream(streamName, events, {
      expectedRevision: toClientExpectedRevision(expected),
    });
    const nextExpectedRevision = fromClientRevision(result.nextExpectedRevision);
    const position =
      result.position !== undefined && isUsablePosition(result.position)
        ? packPosition(result.position)
        : await positionAt(streamName, nextExpectedRevision);
    return { nextExpectedRevision, position };
  };

  const append: EventStore["append"] = async (streamName, events, expected) => {
    assertAppendable(events);
    // Made once: every attempt carries the same ids, which is what makes a repeat idempotent.
    const eventData = events.map(toEventData);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return E.right(await appendOnce(streamName, eventData, expected));
      } catch (error) {
        if (isWrongExpectedVersion(error)) {
          return E.left(wrongExpectedRevision(streamName, expected, error.actualVersion));
        }
        if (attempt >= APPEND_ATTEMPTS || !mayRetryAppend(error, expected)) {
          throw adapterError(error, `append to ${streamName}`, streamName);
        }
        await sleep(APPEND_RETRY_MS * attempt);
      }
    }
  };

  /**
   * Visits `$all` from `boundary` (exclusive) in `direction`, each event with its packed position,
   * until `visit` returns false. A read from a position includes the event there, hence the skip.
   */
  const scanAll = (
    direction: typeof FORWARDS | typeof BACKWARDS,
    boundary: Position | undefined,
    maxCount: number,
    visit: (
      resolved: AllStreamResolvedEvent,
      recorded: AllStreamRecordedEvent,
      at: Position,
    ) => boolean,
  ): Promise<ReadOutcome> =>
    reporting("read $all", () =>
      visitRead(
        client.readAll({
          fromPosition:
            boundary !== undefined
              ? unpackPosition(boundary)
              : direction === FORWARDS
                ? START
                : END,
          direction,
          maxCount,
        }),
        (resolved) => {
          const recorded = resolved.event;
          if (recorded === undefined) return true;
          const at = packPosition(recorded.position);
          const passed =
            boundary !== undefined && (direction === FORWARDS ? at <= boundary : at >= boundary);
          return passed || visit(resolved, recorded, at);
        },
      ),
    );

  const readAll: EventStore["readAll"] = async (read = {}): Promise<ReadAllPage> => {
    const maxCount = read.maxCount ?? DEFAULT_READ_BATCH;
    const visible = eventFilter(read.categories);
    const requested = (read.after === undefined ? 0 : 1) + maxCount + 1 + SCAN_WINDOW;
    const events: StoredEvent[] = [];
    let position: Position | undefined;
    let more = false;
    const outcome = await scanAll(FORWARDS, read.after, requested, (resolved, recorded, at) => {
      if (visible(recorded.streamId, recorded.type)) {
        // One event past the page proves the page is not the end.
        if (events.length === maxCount) {
          more = true;
          return false;
        }
        events.push(toStoredEvent(resolved));
      }
      // Past filtered-out events too: that is what makes the position a safe checkpoint.
      position = at;
      return true;
    });
    const isEnd = !more && outcome.received < requested;
    return position === undefined ? { events, isEnd } : { events, position, isEnd };
  };

  const head: EventStore["head"] = async () => {
    const visible = eventFilter(undefined);
    let before: Position | undefined;
    for (;;) {
      let found: Position | undefined;
      let oldest: Position | undefined;
      const outcome = await scanAll(BACKWARDS, before, HEAD_PAGE, (_, recorded, at) => {
        oldest = at;
        if (!visible(recorded.streamId, recorded.type)) return true;
        found = at;
        return false;
      });
      if (found !== undefined) return found;
      if (outcome.received < HEAD_PAGE || oldest === undefined) return undefined;
      before = oldest;
    }
  };

  const subscribe: EventStore["subscribe"] = (subscribeOptions, handler) =>
    runCatchUp({
      after: subscribeOptions.after,
      maxBatch: subscribeOptions.maxBatch ?? DEFAULT_READ_BATCH,
      open: (after) =>
        openAllSubscription(client, { after, categories: subscribeOptions.categories, head }),
      handler,
      // A subscription drops in more shapes than a call fails (a server closing it, a socket
      // error): all but the known permanent ones are the store's absence.
      failure: (error) =>
        isStoreUnavailable(error) || !isTransient(error)
          ? error
          : unavailable(error, "follow $all"),
      isBehind: async (after) => {
        const newest = await head();
        return newest !== undefined && (after === undefined || newest > after);
      },
      ...(options.subscriptionTiming === undefined ? {} : { timing: options.subscriptionTiming }),
    });

  return { append, readStream, readAll, subscribe, head };
};
