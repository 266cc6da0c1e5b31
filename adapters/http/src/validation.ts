import { fieldErrors } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
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
