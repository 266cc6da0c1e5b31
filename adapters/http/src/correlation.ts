import { randomUUID } from "node:crypto";
import type { CommandContext } from "@mebel/core";
import type { NextFunction, Request, Response } from "express";
import { principalOf } from "./auth/principal.js";
import { problem, sendProblem } from "./problem.js";
import { recordAppended } from "./read-your-writes.js";

const HEADER = "x-correlation-id";
const VALID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/**
 * Every request carries a correlation id (the caller's, or a new one): it is echoed back, logged
 * with every line of the request, and stored in the metadata of every event the request causes.
 */
export const correlation = (req: Request, res: Response, next: NextFunction): void => {
  const given = req.get(HEADER);
  if (given !== undefined && !VALID.test(given)) {
    sendProblem(
      res,
      problem(400, "INVALID_REQUEST", "X-Correlation-Id must be 1 to 100 of A-Z a-z 0-9 . _ : -", {
        errors: [{ path: "header.x-correlation-id", expected: "correlation id" }],
      }),
    );
    return;
  }
  const correlationId = given ?? randomUUID();
  res.locals.correlationId = correlationId;
  res.locals.requestId = randomUUID();
  res.setHeader("X-Correlation-Id", correlationId);
  next();
};

/**
 * Returned unnamed: the services run under tsx, which names every closure bound to a name (a
 * property too) with a defineProperty call, on every request that makes one.
 */
const appendedOn =
  (res: Response): NonNullable<CommandContext["appended"]> =>
  (position) =>
    recordAppended(res, position);

/** The command context of a request: same correlation, caused by this request, by its caller. */
export const requestContext = (res: Response): CommandContext => {
  const principal = principalOf(res);
  const traceparent = res.locals.traceparent as string | undefined;
  const context = {
    correlationId: String(res.locals.correlationId),
    causationId: String(res.locals.requestId),
    ...(traceparent === undefined ? {} : { traceparent }),
    appended: appendedOn(res),
  };
  return principal === undefined
    ? context
    : { ...context, actor: principal.sub, actorRole: String(res.locals.actorRole) };
};
