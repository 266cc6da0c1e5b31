import type { Position } from "@mebel/core";
import type { Request, Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { withSchema } from "./openapi/codec-schemas.js";
import { type Problem, problem } from "./problem.js";

/** On a command's answer: the global position of the last event it appended. */
export const POSITION_HEADER = "Mebel-Position";
/** On a query: answer only from a view that has reached this position. */
export const MIN_POSITION_HEADER = "Mebel-Min-Position";
export const MIN_POSITION_QUERY = "minPosition";

const APPENDED = "appendedPosition";

/** Remembers the furthest position a request's commands appended at, for its answer's header. */
export const recordAppended = (res: Response, position: Position): void => {
  const known = res.locals[APPENDED] as Position | undefined;
  if (known === undefined || position > known) res.locals[APPENDED] = position;
};

/** A global position as it is written: decimal, at most 128 bits (EventStoreDB's). */
export const PositionText = withSchema(
  new t.Type<bigint, string, unknown>(
    "a log position (a whole number, 0 or more)",
    (u): u is bigint => typeof u === "bigint" && u >= 0n,
    (u, c) =>
      typeof u === "string" && /^(0|[1-9][0-9]{0,38})$/.test(u) && BigInt(u) < 1n << 128n
        ? t.success(BigInt(u))
        : t.failure(u, c),
    String,
  ),
  { type: "string", pattern: "^(0|[1-9][0-9]{0,38})$", description: "a global log position" },
);

/** The field of a command's JSON answer that repeats `Mebel-Position`. */
export const POSITION_FIELD = "position";

/** What a command adds to its JSON answer: absent, as the header is, when it appended nothing. */
export const PositionField = t.partial({ [POSITION_FIELD]: PositionText });

const isJsonObject = (body: unknown): body is Readonly<Record<string, unknown>> =>
  typeof body === "object" && body !== null && !Array.isArray(body);

/**
 * Writes where a request's commands appended on its answer: `Mebel-Position`, and `position` in
 * a JSON object body, both the same decimal text. A command that appended nothing says neither:
 * it has no write of its own to wait for. The one place both are written, for every route.
 */
export const tellPosition = (res: Response, body: unknown): unknown => {
  const position = res.locals[APPENDED] as Position | undefined;
  if (position === undefined) return body;
  const text = PositionText.encode(position);
  res.setHeader(POSITION_HEADER, text);
  return isJsonObject(body) ? { ...body, [POSITION_FIELD]: text } : body;
};

/** What a query's spec declares of read-your-writes: the header, the query field, the 503. */
export const MIN_POSITION_SPEC = {
  headers: t.partial({ "mebel-min-position": PositionText }),
  query: t.partial({ minPosition: PositionText }),
  problems: ["VIEW_BEHIND"],
} as const;

/** The position a query must wait for, from its header or its query string; none is fine. */
export const minPositionOf = (req: Request): E.Either<Problem, Position | undefined> => {
  const fromQuery = req.query[MIN_POSITION_QUERY];
  const given = req.get(MIN_POSITION_HEADER) ?? fromQuery;
  if (given === undefined) return E.right(undefined);
  const decoded = PositionText.decode(given);
  return E.isRight(decoded)
    ? decoded
    : E.left(
        problem(400, "INVALID_REQUEST", "Mebel-Min-Position must be a log position, like 42.", {
          errors: [
            {
              path: fromQuery === undefined ? "header.mebel-min-position" : "query.minPosition",
              expected: "a log position",
            },
          ],
        }),
      );
};

export interface ViewWait {
  /** The longest a query waits for its view before it answers 503 (default 3 s). */
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const DEFAULT_MAX_WAIT_MS = 3_000;
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the view behind a query has reached the position the caller asked for: a reader
 * then sees their own write, never the state from before it. Past the bound the answer is a 503
 * (with Retry-After, as every 503) saying how far the view is behind: never stale data, silently.
 */
export const awaitView = async (
  req: Request,
  checkpoint: () => Promise<Position | undefined>,
  wait: ViewWait = {},
): Promise<E.Either<Problem, void>> => {
  const wanted = minPositionOf(req);
  if (E.isLeft(wanted)) return wanted;
  const minimum = wanted.right;
  if (minimum === undefined) return E.right(undefined);
  const now = wait.now ?? Date.now;
  const sleep = wait.sleep ?? sleepFor;
  const deadline = now() + (wait.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
  // Checkpoints move in commits; a short first pause catches the common case of one batch.
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    const reached = await checkpoint();
    if (reached !== undefined && reached >= minimum) return E.right(undefined);
    if (now() >= deadline) {
      const at = reached ?? 0n;
      return E.left(
        problem(503, "VIEW_BEHIND", "The view has not caught up with that position yet.", {
          details: {
            minPosition: minimum.toString(),
            position: at.toString(),
            behind: (minimum - at).toString(),
          },
        }),
      );
    }
    await sleep(Math.min(pause, Math.max(1, deadline - now())));
  }
};
