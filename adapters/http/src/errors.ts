import { isStoreUnavailable } from "@mebel/core";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { problem, sendProblem } from "./problem.js";

export const notFound = (req: Request, res: Response): void => {
  sendProblem(res, problem(404, "ROUTE_NOT_FOUND", `There is no ${req.method} ${req.path}.`));
};

/** Bodies must be JSON when there is one: anything else is refused before it is parsed. */
export const requireJsonBody = (req: Request, res: Response, next: NextFunction): void => {
  const {
    "content-length": length,
    "transfer-encoding": chunked,
    "content-type": type,
  } = req.headers;
  const hasBody = (length !== undefined && length !== "0") || chunked !== undefined;
  // The plain media type, as nearly every client sends it, needs no parsing to be JSON.
  if (hasBody && type !== "application/json" && !req.is("application/json")) {
    sendProblem(
      res,
      problem(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json."),
    );
    return;
  }
  next();
};

const bodyParserErrors: Readonly<Record<string, [number, string, string]>> = {
  "entity.parse.failed": [400, "MALFORMED_JSON", "The request body is not valid JSON."],
  "entity.too.large": [
    413,
    "PAYLOAD_TOO_LARGE",
    "The request body is larger than this API accepts.",
  ],
  "encoding.unsupported": [
    415,
    "UNSUPPORTED_MEDIA_TYPE",
    "The body's content encoding is not supported.",
  ],
  "charset.unsupported": [415, "UNSUPPORTED_MEDIA_TYPE", "The body's charset is not supported."],
  "request.aborted": [400, "REQUEST_ABORTED", "The request body ended early."],
};

export const storeUnavailable = problem(
  503,
  "STORE_UNAVAILABLE",
  "The service cannot reach its store right now; try again shortly.",
);

/** Last in the chain: what a route did not answer becomes a problem, never a stack trace. */
export const errorHandler =
  (logger: Logger) =>
  (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
    const known = typeof type === "string" ? bodyParserErrors[type] : undefined;
    if (known !== undefined) {
      const [code, name, title] = known;
      sendProblem(res, problem(code, name, title));
      return;
    }
    if (isStoreUnavailable(error)) {
      // Expected while a database is restarting or cut off: a warning, and the client waits.
      logger.warn(
        { correlationId: res.locals.correlationId, error: error.message },
        "store unavailable",
      );
      sendProblem(res, storeUnavailable);
      return;
    }
    if (typeof status === "number" && status >= 400 && status < 500) {
      sendProblem(res, problem(status, "BAD_REQUEST", "The request could not be understood."));
      return;
    }
    logger.error(
      {
        correlationId: res.locals.correlationId,
        error: error instanceof Error ? error.stack : String(error),
      },
      "unhandled error",
    );
    sendProblem(
      res,
      problem(500, "INTERNAL_ERROR", "Something went wrong on our side.", {
        detail: `Quote correlation id ${String(res.locals.correlationId)} when reporting it.`,
      }),
    );
  };
