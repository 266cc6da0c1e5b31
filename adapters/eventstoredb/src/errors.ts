import { ErrorType, type WrongExpectedVersionError } from "@eventstore/db-client";
import { type ExpectedRevision, StoreUnavailableError } from "@mebel/core";
import { appendTooLarge, UnreadableEventError } from "./mapping.js";

// By the client's error type rather than instanceof: a second copy of the client in the tree
// would have classes of its own.
const typeOf = (error: unknown): unknown =>
  typeof error === "object" && error !== null && "type" in error ? error.type : undefined;

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

export const isWrongExpectedVersion = (error: unknown): error is WrongExpectedVersionError =>
  typeOf(error) === ErrorType.WRONG_EXPECTED_VERSION;

export const isStreamNotFound = (error: unknown): boolean =>
  typeOf(error) === ErrorType.STREAM_NOT_FOUND;

export const isStreamDeleted = (error: unknown): boolean =>
  typeOf(error) === ErrorType.STREAM_DELETED;

export const isMaxAppendSizeExceeded = (error: unknown): error is { maxAppendSize: number } =>
  typeOf(error) === ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED;

/**
 * On the batch-append call (the client's default from server 21.10 on) the server answers "no
 * leader known", "too busy" and "not ready" with a status whose details the 6.2.1 client cannot
 * unpack, so they arrive as an UnknownError naming the server's message. The classic call turns
 * the same answers into UnavailableError.
 */
const UNHANDLED_ON_BATCH =
  /^Could not recognize (No leader info available in response|Server Is Busy|Server Is Not Ready)$/;

/** The server never looked at the request: sending it again cannot duplicate anything. */
const wasNotHandled = (error: unknown): boolean =>
  typeOf(error) === ErrorType.NOT_LEADER ||
  (typeOf(error) === ErrorType.UNKNOWN && UNHANDLED_ON_BATCH.test(messageOf(error)));

/** Faults of the connection or of the cluster's state, gone by themselves in a while. */
const faultTypes = new Set<unknown>([
  ErrorType.UNAVAILABLE,
  ErrorType.NOT_LEADER,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  // The server cancels calls when it shuts down or drops a subscription.
  ErrorType.CANCELLED,
]);

/** Socket errors that reach us without the client wrapping them. */
const socketCodes = new Set<unknown>(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"]);

/**
 * gRPC's UNAVAILABLE and DEADLINE_EXCEEDED, on errors the client passes on unconverted: the
 * check of the server's features that precedes every append is one.
 */
const grpcFaultCodes = new Set<unknown>([14, 4]);

const codeOf = (error: unknown): unknown =>
  typeof error === "object" && error !== null && "code" in error ? error.code : undefined;

/**
 * Whether the store could not answer right now (issue 11's `StoreUnavailableError`): the
 * connection, the leader or the deadline, never the request itself.
 */
export const isUnavailable = (error: unknown): boolean =>
  faultTypes.has(typeOf(error)) ||
  wasNotHandled(error) ||
  socketCodes.has(codeOf(error)) ||
  (typeOf(error) === undefined && grpcFaultCodes.has(codeOf(error)));

/**
 * Whether an append that failed this way may be sent again with the same event ids. A request the
 * server never handled was never written; a lost connection or a timeout may have been, which the
 * server recognises by the ids only when the expected revision is exact (or no stream).
 */
export const mayRetryAppend = (error: unknown, expected: ExpectedRevision): boolean =>
  wasNotHandled(error) ||
  (isUnavailable(error) && (typeof expected === "bigint" || expected === "no_stream"));

/** Failures no resubscribe can cure: permissions, bad requests, data we cannot represent, bugs. */
const permanentTypes = new Set<unknown>([
  ErrorType.ACCESS_DENIED,
  ErrorType.INVALID_ARGUMENT,
  ErrorType.UNSUPPORTED,
  ErrorType.STREAM_DELETED,
]);

/**
 * Whether a subscription that ended with this error may be opened again. Network failures come
 * in many shapes (gRPC statuses, socket errors, a server closing the call), so all but the known
 * permanent ones count as transient.
 */
export const isTransient = (error: unknown): boolean =>
  !(error instanceof UnreadableEventError) &&
  !(error instanceof TypeError) &&
  !(error instanceof RangeError) &&
  !permanentTypes.has(typeOf(error));

/** A tombstoned stream: it can be neither read nor written again, under that name, ever. */
export class StreamTombstonedError extends Error {
  override readonly name = "StreamTombstonedError";
  readonly code = "STREAM_DELETED";
  constructor(
    readonly streamName: string,
    options: { readonly cause: unknown },
  ) {
    super(
      `EventStoreDB stream ${streamName} was deleted for good (tombstoned): it can be neither read nor written again.`,
      options,
    );
  }
}

export const unavailable = (error: unknown, doing: string): StoreUnavailableError =>
  new StoreUnavailableError(`EventStoreDB could not ${doing}: ${messageOf(error)}`, {
    cause: error,
  });

/**
 * The client's error as this adapter reports it: a fault of the store as StoreUnavailableError, a
 * tombstoned stream and an append the server found too large as the errors above, with the
 * client's error as `cause`; anything else as it came.
 */
export const adapterError = (error: unknown, doing: string, streamName?: string): unknown => {
  if (isUnavailable(error)) return unavailable(error, doing);
  if (isStreamDeleted(error)) {
    const name =
      typeof error === "object" && error !== null && "streamName" in error
        ? String(error.streamName)
        : streamName;
    return new StreamTombstonedError(name ?? "(unknown)", { cause: error });
  }
  if (isMaxAppendSizeExceeded(error)) {
    return appendTooLarge(error.maxAppendSize, undefined, { cause: error });
  }
  return error;
};

/** Runs `action`, reporting its failure as `adapterError` does. */
export const reporting = async <A>(
  doing: string,
  action: () => Promise<A>,
  streamName?: string,
): Promise<A> => {
  try {
    return await action();
  } catch (error) {
    throw adapterError(error, doing, streamName);
  }
};
