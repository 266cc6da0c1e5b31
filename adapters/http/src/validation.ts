import { fieldErrors } from "@mebel/core";
import type { Request } from "express";
import { sequenceS } from "fp-ts/lib/Apply.js";
import * as E from "fp-ts/lib/Either.js";
import type { Semigroup } from "fp-ts/lib/Semigroup.js";
import type * as t from "io-ts";
import { parseIfMatch } from "./etag.js";
import { type Problem, problem } from "./problem.js";

export type RequestPart = "body" | "query" | "path" | "header";

/** Decodes one part of a request; a failure names every failing field, prefixed by the part. */
export const decodePart =
  <A>(codec: t.Decoder<unknown, A>, part: RequestPart) =>
  (input: unknown): E.Either<Problem, A> => {
    const decoded = codec.decode(input);
    if (E.isRight(decoded)) return decoded;
    const errors = fieldErrors(decoded.left).map((e) => ({
      path: e.path === "(root)" ? part : `${part}.${e.path}`,
      expected: e.expected,
    }));
    return E.left(
      problem(400, "INVALID_REQUEST", `The request ${part} is not valid.`, {
        detail: errors.map((e) => `${e.path}: expected ${e.expected}`).join("; "),
        errors,
      }),
    );
  };

/** Invalid parts of one request make one 400 naming the failing fields of all of them. */
const allInvalid: Semigroup<Problem> = {
  concat: (a, b) => {
    const errors = [...(a.errors ?? []), ...(b.errors ?? [])];
    return problem(400, "INVALID_REQUEST", "The request is not valid.", {
      detail: errors.map((e) => `${e.path}: expected ${e.expected}`).join("; "),
      errors,
    });
  },
};

/** Decodes every part given and reports all that fail, rather than stopping at the first. */
export const decodeAll = sequenceS(E.getApplicativeValidation(allInvalid));

/**
 * What a command reads of its request: the path, the body and, as the expected revision, the
 * If-Match header, decoded together so that a client can fix every failing field in one go. A
 * missing body reads as an empty object, so its missing fields are named one by one.
 */
export const commandRequest = <Path, Body>(
  req: Request,
  path: t.Decoder<unknown, Path>,
  body: t.Decoder<unknown, Body>,
): E.Either<Problem, { path: Path; body: Body; expectedRevision: bigint | undefined }> => {
  const parts = {
    path: decodePart(path, "path")(req.params),
    body: decodePart(body, "body")(req.body ?? {}),
    expectedRevision: parseIfMatch(req.get("if-match")),
  };
  // Most requests decode whole: only failures need the applicative, to merge what failed.
  return E.isRight(parts.path) && E.isRight(parts.body) && E.isRight(parts.expectedRevision)
    ? E.right({
        path: parts.path.right,
        body: parts.body.right,
        expectedRevision: parts.expectedRevision.right,
      })
    : decodeAll(parts);
};

/** The handler options for the revision an If-Match named, if any. */
export const expectedRevisionOption = (
  expectedRevision: bigint | undefined,
): { readonly expectedRevision?: bigint } =>
  expectedRevision === undefined ? {} : { expectedRevision };
