import { ErrorType, type WrongExpectedVersionError } from "@eventstore/db-client";
import type { ExpectedRevision } from "@mebel/core";
import { UnreadableEventError } from "./mapping.js";

// By the client's error type rather than instanceof: a second copy of the client in the tree
// would have classes of its own.
const typeOf = (error: unknown): unknown =>
  typeof error === "object" && error !== null && "type" in error ? error.type : undefined;

export const isWrongExpectedVersion = (error: unknown): error is WrongExpectedVersionError =>
  typeOf(error) === ErrorType.WRONG_EXPECTED_VERSION;

export const isStreamNotFound = (error: unknown): boolean =>
  typeOf(error) === ErrorType.STREAM_NOT_FOUND;

/**
 * Whether an append that failed this way may be sent again with the same event ids. A lost
 * leader never wrote it; a lost connection may have, which the server recognises by the ids only
 * when the expected revision is exact (or no stream).
 */
export const mayRetryAppend = (error: unknown, expected: ExpectedRevision): boolean =>
  typeOf(error) === ErrorType.NOT_LEADER ||
  (typeOf(error) === ErrorType.UNAVAILABLE &&
    (typeof expected === "number" || expected === "no_stream"));

/** Failures no resubscribe can cure: permissions, bad requests, data we cannot represent, bugs. */
const permanentTypes = new Set<unknown>([
  ErrorType.ACCESS_DENIED,
  ErrorType.INVALID_ARGUMENT,
  ErrorType.UNSUPPORTED,
  ErrorType.STREAM_DELETED,
]);

/**
 * Whether a subscription should resubscribe after this error. Network failures come in many
 * shapes (gRPC statuses, socket errors, a server closing the call), so all but the known
 * permanent ones count as transient.
 */
export const isTransient = (error: unknown): boolean =>
  !(error instanceof UnreadableEventError) &&
  !(error instanceof TypeError) &&
  !(error instanceof RangeError) &&
  !permanentTypes.has(typeOf(error));
