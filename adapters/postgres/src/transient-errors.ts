import { StoreUnavailableError } from "@mebel/core";

/** Socket errors of a server that is down, restarting, unreachable or cut off. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
]);

/**
 * SQLSTATEs that a later attempt may not meet: too many connections, the server shutting down or
 * crashing, a statement timeout or cancel, a serialization failure, a deadlock. Class 08 is
 * matched whole.
 */
const SQLSTATES = new Set(["53300", "57P01", "57P02", "57P03", "57014", "40001", "40P01"]);

/**
 * pg reports its own timeouts and dropped connections by message only: the pool's wait, the
 * connect timeout, the client-side query timeout, a socket that closed under a query.
 */
const DRIVER_MESSAGES =
  /^(timeout exceeded when trying to connect|timeout expired|Connection terminated|Query read timeout|Client has encountered a connection error|Connection lost|Connection stopped answering)/;

const fields = (error: unknown): { code?: unknown; message?: unknown } =>
  typeof error === "object" && error !== null ? (error as { code?: unknown }) : {};

/** Whether an error of pg (or of a socket under it) is worth trying again later. */
export const isTransientPgError = (error: unknown): boolean => {
  const { code, message } = fields(error);
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  return typeof message === "string" && DRIVER_MESSAGES.test(message);
};

/** A transient fault as the port's StoreUnavailableError (the driver's error as cause); else as is. */
export const asStoreError = (error: unknown): unknown => {
  if (!isTransientPgError(error)) return error;
  const { message } = fields(error);
  return new StoreUnavailableError(
    `PostgreSQL is unavailable: ${typeof message === "string" ? message : String(error)}`,
    { cause: error },
  );
};

/** Runs `work`, its transient faults surfacing as StoreUnavailableError. */
export const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    throw asStoreError(error);
  }
};
