import { problem, sendProblem } from "@mebel/adapter-http";
import type { RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";

const WINDOW_MS = 60_000;

const tooMany: RequestHandler = (_req, res) => {
  sendProblem(
    res,
    problem(429, "TOO_MANY_ATTEMPTS", "Too many attempts: wait a minute and try again."),
  );
};

/** Per address: every sign-in route. */
export const perAddress = (perMinute: number): RequestHandler =>
  rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: tooMany,
  });

/**
 * Per account, whatever the address: guessing one person's password from many machines is as
 * slow as from one. The key is the address as typed, so a miss counts as much as a hit.
 */
export const perAccount = (perMinute: number): RequestHandler =>
  rateLimit({
    windowMs: WINDOW_MS,
    limit: Math.max(5, Math.floor(perMinute / 3)),
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => {
      const email = (req.body as { email?: unknown } | undefined)?.email;
      return `account:${typeof email === "string" ? email.trim().toLowerCase().slice(0, 254) : ""}`;
    },
    handler: tooMany,
  });
