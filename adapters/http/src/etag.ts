import * as E from "fp-ts/lib/Either.js";
import { type Problem, problem } from "./problem.js";

/** An aggregate's ETag is its stream revision: strong, since equal revisions are equal states. */
export const etagOf = (revision: number): string => `"${revision}"`;

const SINGLE = /^(?:W\/)?"(-1|\d{1,15})"$/;

/**
 * The revision an If-Match names, for an optimistic command. Absent or `*` means "whatever is
 * there"; a list of tags or anything unreadable is refused rather than guessed at.
 */
export const parseIfMatch = (header: string | undefined): E.Either<Problem, number | undefined> => {
  if (header === undefined || header.trim() === "*") return E.right(undefined);
  const match = SINGLE.exec(header.trim());
  if (match?.[1] === undefined) {
    return E.left(
      problem(400, "INVALID_REQUEST", 'If-Match must be one entity tag of this API, like "3".', {
        errors: [{ path: "header.if-match", expected: "one entity tag" }],
      }),
    );
  }
  return E.right(Number(match[1]));
};
