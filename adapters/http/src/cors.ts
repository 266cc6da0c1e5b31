import type { NextFunction, Request, Response } from "express";

const ALLOWED_HEADERS = "authorization, content-type, idempotency-key, if-match, x-correlation-id";
const EXPOSED_HEADERS =
  "etag, location, x-correlation-id, idempotent-replayed, retry-after, mebel-position";

/**
 * CORS for the origins listed, and for no other: without a list, no CORS header is ever sent and
 * browsers keep other sites' pages out. Credentials (the refresh cookie) only for those origins.
 */
export const cors =
  (origins: ReadonlyArray<string>) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.get("origin");
    if (origin === undefined || !origins.includes(origin)) {
      next();
      return;
    }
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    res.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    res.append("Vary", "Origin");
    if (req.method === "OPTIONS" && req.get("access-control-request-method") !== undefined) {
      res.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE");
      res.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
      res.setHeader("Access-Control-Max-Age", "600");
      res.status(204).end();
      return;
    }
    next();
  };
