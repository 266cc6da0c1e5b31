import { type AnyProjection, backOfficeProjections, CourierId } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { UsageError } from "./failures.js";

const DIGITS = /^\d+$/;

/**
 * A whole number as the operator typed it, from `min` to `max`. Only digits are accepted, so
 * "-1", "1.5", "1e3" and " 7" are refused rather than read as something the operator did not mean.
 */
const wholeNumber = (name: string, min: number, max: number) =>
  new t.Type<number, string, unknown>(
    name,
    (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= min && u <= max,
    (u, c) => {
      if (typeof u !== "string" || !DIGITS.test(u)) return t.failure(u, c);
      const n = Number(u);
      return n >= min && n <= max ? t.success(n) : t.failure(u, c);
    },
    String,
  );

/** A whole number as typed, exactly: revisions and positions are wider than a double. */
const wholeBigint = (name: string, max: bigint) =>
  new t.Type<bigint, string, unknown>(
    name,
    (u): u is bigint => typeof u === "bigint" && u >= 0n && u <= max,
    (u, c) =>
      typeof u === "string" && DIGITS.test(u) && BigInt(u) <= max
        ? t.success(BigInt(u))
        : t.failure(u, c),
    String,
  );

/** 0-based, and within a signed 64-bit integer: the widest revision every store can look up. */
export const Revision = wholeBigint("a revision (a whole number, 0 or more)", (1n << 63n) - 1n);

export const Count = wholeNumber("a count (a whole number, 1 or more)", 1, Number.MAX_SAFE_INTEGER);

/** Global positions are bigints: EventStoreDB packs two unsigned 64-bit halves into one. */
export const LogPosition = wholeBigint(
  "a log position (a whole number, 0 or more)",
  (1n << 128n) - 1n,
);

/** What precedes the first dash of a stream name (`Order` in `Order-42`), so it has no dash. */
export const CategoryName = t.refinement(
  t.string,
  (s) => /^[A-Za-z0-9_$][A-Za-z0-9_.$]{0,99}$/.test(s),
  "a stream category (letters, digits, _ . $ but no dash, as in Order)",
);

/** Any name a store accepts, typed on one line. */
export const StreamName = t.refinement(
  t.string,
  (s) => /^\S{1,1000}$/.test(s),
  "a stream name (no spaces, as in Order-42)",
);

export const DataDir = t.refinement(t.string, (s) => s.trim() !== "", "a folder (not blank)");

const known = new Map(backOfficeProjections.map((p) => [p.name, p]));

/** A projection by its name; the codec's name lists every known one, for the error message. */
export const ProjectionName = new t.Type<AnyProjection, string, unknown>(
  `a projection (${[...known.keys()].join(", ")})`,
  (u): u is AnyProjection => backOfficeProjections.includes(u as AnyProjection),
  (u, c) => {
    const projection = typeof u === "string" ? known.get(u) : undefined;
    return projection === undefined ? t.failure(u, c) : t.success(projection);
  },
  (p) => p.name,
);

/** Absent is fine; present must decode. */
export const optional = <A, O>(codec: t.Type<A, O, unknown>) =>
  new t.Type<A | undefined, O | undefined, unknown>(
    codec.name,
    (u): u is A | undefined => u === undefined || codec.is(u),
    (u, c) => (u === undefined ? t.success(undefined) : codec.validate(u, c)),
    (a) => (a === undefined ? undefined : codec.encode(a)),
  );

/**
 * Decodes a command's arguments, keyed as the operator wrote them (`<stream>`, `--from`), so the
 * first failure reads as one line: `--from: expected a revision (...), got "-1"`.
 */
export const decodeArguments = <A>(codec: t.Decoder<unknown, A>, raw: unknown): A => {
  const decoded = codec.decode(raw);
  if (E.isRight(decoded)) return decoded.right;
  const [first] = decoded.left;
  const where = first?.context[1]?.key ?? "argument";
  const expected = first?.context[first.context.length - 1]?.type.name ?? "something else";
  throw new UsageError(`${where}: expected ${expected}, got ${JSON.stringify(first?.value)}`);
};

/** A courier's id, as MEBEL_COURIERS names it. */
export const CourierIdArgument = new t.Type<CourierId, string, unknown>(
  "a courier id (as in MEBEL_COURIERS)",
  CourierId.is,
  (u, c) => CourierId.validate(u, c),
  String,
);
