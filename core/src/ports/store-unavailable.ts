/**
 * A store that cannot answer right now: connection refused, reset or timed out, too many clients,
 * the server shutting down or failing over, EventStoreDB unavailable or not the leader. Worth
 * trying again later, and never a bug of the caller: adapters throw it (with the driver's error
 * as `cause`), runners retry with backoff, and the HTTP edge answers 503 with Retry-After.
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
}

/** By name as well as by class: two copies of the core in one process must agree. */
export const isStoreUnavailable = (error: unknown): error is StoreUnavailableError =>
  error instanceof Error && error.name === "StoreUnavailableError";
