import * as E from "fp-ts/lib/Either.js";
import { type Problem, problem } from "./problem.js";

/**
 * An aggregate's ETag is its stream revision (a catalog product's, its version): strong, since
 * equal revisions are equal states.
 */
export const etagOf = (revision: bigint | number): string => `"${revision}"`;

// A revision is a signed 64-bit integer: at most 19 digits.
const SINGLE = /^(?:W\/)?"(-1|0|[1-9]\d{0,18})"$/;
const INT8_MAX = 9_223_372_036_854_775_807n;

/**
 * The revision an If-Match names, for an optimistic command. Absent or `*` means "whatever is
 * there"; a list of tags or anything unreadable is refused rather than guessed at.
 */
export const parseIfMatch = (header: string | undefined): E.Either<Problem, bigint | undefined> => {
  if (header === undefined || header.trim() === "*") return E.right(undefined);
  const match = SINGLE.exec(header.trim());
  const revision = match?.[1] === undefined ? undefined : BigInt(match[1]);
  if (revision === undefined || revision > INT8_MAX) {
    return E.left(
      problem(400, "INVALID_REQUEST", 'If-Match must be one entity tag of this API, like "3".', {
        errors: [{ path: "header.if-match", expected: "one entity tag" }],
      }),
    );
  }
  return E.right(revision);
};
