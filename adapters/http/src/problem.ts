import type { DomainError, FieldError } from "@mebel/core";
import type { Response } from "express";
import { sendJson } from "./answer.js";
import { toJson } from "./json.js";

/** RFC 9457 problem details, with our stable error code beside the standard members. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code: string;
  readonly errors?: ReadonlyArray<FieldError>;
  readonly details?: Readonly<Record<string, unknown>>;
}

const typeOf = (code: string): string =>
  `urn:mebel:problem:${code.toLowerCase().replaceAll("_", "-")}`;

export const problem = (
  status: number,
  code: string,
  title: string,
  extra: {
    detail?: string;
    errors?: ReadonlyArray<FieldError>;
    details?: Readonly<Record<string, unknown>>;
  } = {},
): Problem => ({ type: typeOf(code), title, status, code, ...extra });

/** Seconds a client is asked to wait before it tries a 503 again. */
export const RETRY_AFTER_SECONDS = 2;

export const sendProblem = (res: Response, p: Problem): void => {
  // Every 503 is a "not now": say when to come back, unless whoever answered already did.
  if (p.status === 503 && !res.hasHeader("retry-after")) {
    res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
  }
  sendJson(res, p.status, "application/problem+json", toJson(p));
};

/**
 * The one place domain errors become HTTP statuses. Not found is 404, a stale If-Match 412, any
 * other refusal 409: the request was understood and is valid, the state of things refuses it.
 * A delivery window that cannot be kept is 422: well-formed, but no state of things would take it.
 * A stored event that does not decode is the server's fault, never the caller's: 500, with the
 * stream and revision named so an operator can find it (docs/operations.md, poison events).
 */
export const statusOfCode = (code: string): number => {
  if (code === "CORRUPT_EVENT") return 500;
  if (code.endsWith("_NOT_FOUND")) return 404;
  if (code === "PRECONDITION_FAILED") return 412;
  if (code === "DELIVERY_WINDOW_INVALID") return 422;
  return 409;
};

export const domainProblem = (error: DomainError): Problem =>
  problem(statusOfCode(error.code), error.code, error.message, {
    ...(error.details === undefined ? {} : { details: error.details }),
  });
