import { createHash } from "node:crypto";
import type { IdempotencyStore } from "@mebel/core";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { toJson } from "./json.js";
import { problem, sendProblem } from "./problem.js";

const KEY = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ["content-type", "etag", "location", "mebel-position"] as const;

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * `Idempotency-Key` on POST: the first request with a key is handled and its answer recorded
 * before it is sent; a retry with the same key and body gets that answer again and writes
 * nothing; the same key with another body is refused (422), and one still being handled answers
 * 409. A 5xx answer is not recorded, so the retry runs again (the writes behind it are idempotent).
 */
/** Marks the middleware, so that the API's document can say which routes take a key. */
export const IDEMPOTENT = Symbol("mebel.idempotent");

export const idempotency = (store: IdempotencyStore, logger: Logger, leaseMs = 30_000) =>
  Object.assign(idempotencyKeys(store, logger, leaseMs), { [IDEMPOTENT]: true });

const idempotencyKeys =
  (store: IdempotencyStore, logger: Logger, leaseMs: number) =>
  async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = req.get("idempotency-key");
    if (req.method !== "POST" || key === undefined) {
      next();
      return;
    }
    if (!KEY.test(key)) {
      sendProblem(
        res,
        problem(
          400,
          "INVALID_REQUEST",
          "Idempotency-Key must be 1 to 255 visible ASCII characters.",
          {
            errors: [{ path: "header.idempotency-key", expected: "idempotency key" }],
          },
        ),
      );
      return;
    }
    // A key is the caller's own: another caller's same key is another request.
    const caller = (res.locals.principal as { sub?: string } | undefined)?.sub ?? "";
    const scope = `${req.method} ${req.originalUrl} ${caller} ${key}`;
    const claim = await store.claim(scope, sha256(JSON.stringify(req.body ?? null)), leaseMs);
    switch (claim.kind) {
      case "completed":
        res
          .status(claim.response.status)
          .set(claim.response.headers)
          .set("Idempotent-Replayed", "true");
        res.send(claim.response.body);
        return;
      case "in_progress":
        res.set("Retry-After", "1");
        sendProblem(
          res,
          problem(
            409,
            "IDEMPOTENCY_KEY_IN_USE",
            "A request with this Idempotency-Key is still being handled.",
          ),
        );
        return;
      case "mismatch":
        sendProblem(
          res,
          problem(
            422,
            "IDEMPOTENCY_KEY_REUSED",
            "This Idempotency-Key was used for a different request.",
          ),
        );
        return;
      case "claimed":
        break;
    }
    res.locals.idempotencyScope = scope;
    const send = res.send.bind(res);
    res.send = ((body?: unknown) => {
      const text =
        typeof body === "string"
          ? body
          : Buffer.isBuffer(body)
            ? body.toString("utf8")
            : toJson(body);
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = res.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      const recorded =
        res.statusCode < 500
          ? store.complete(scope, { status: res.statusCode, headers, body: text })
          : store.abandon(scope);
      recorded.then(
        () => send(text),
        (error: unknown) => {
          logger.error(
            { error: String(error), correlationId: res.locals.correlationId },
            "idempotency record failed",
          );
          send(text);
        },
      );
      return res;
    }) as Response["send"];
    next();
  };

/**
 * An id for something a request creates. Under an idempotency key it is derived from the key, so
 * a retry that runs again after a crash creates the same order or line instead of a second one.
 */
export const stableId = (res: Response, purpose: string, fresh: () => string): string => {
  const scope = res.locals.idempotencyScope as string | undefined;
  if (scope === undefined) return fresh();
  const h = sha256(`${scope}\n${purpose}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
