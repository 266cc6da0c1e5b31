import { decodePart, type Problem, parseIfMatch, problem } from "@mebel/adapter-http";
import type { HandleOptions } from "@mebel/core";
import type { Request } from "express";
import { sequenceS } from "fp-ts/lib/Apply.js";
import * as E from "fp-ts/lib/Either.js";
import type { Semigroup } from "fp-ts/lib/Semigroup.js";
import type * as t from "io-ts";

/** Two invalid parts make one 400 naming the fields of both: a client fixes its request in one go. */
const bothInvalid: Semigroup<Problem> = {
  concat: (a, b) => {
    const errors = [...(a.errors ?? []), ...(b.errors ?? [])];
    return problem(400, "INVALID_REQUEST", "The request is not valid.", {
      detail: errors.map((e) => `${e.path}: expected ${e.expected}`).join("; "),
      errors,
    });
  },
};

const together = sequenceS(E.getApplicativeValidation(bothInvalid));

/**
 * What a command reads of its request: the path, the body and, as the expected revision, the
 * If-Match header, all decoded at once so that every failing field is named. A missing body reads
 * as an empty object, so its missing fields are named one by one.
 */
export const commandRequest = <Path, Body>(
  req: Request,
  path: t.Decoder<unknown, Path>,
  body: t.Decoder<unknown, Body>,
) =>
  together({
    path: decodePart(path, "path")(req.params),
    body: decodePart(body, "body")(req.body ?? {}),
    expectedRevision: parseIfMatch(req.get("if-match")),
  });

export const handleOptions = (expectedRevision: number | undefined): HandleOptions =>
  expectedRevision === undefined ? {} : { expectedRevision };
