import * as E from "fp-ts/lib/Either.js";

/** The Right of an append, or a failure that names the Left. */
export const rightOf = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got ${JSON.stringify(either.left)}`);
  return either.right;
};

/** The code of a Left, undefined for a Right. */
export const codeOf = (either: E.Either<{ readonly code: string }, unknown>): string | undefined =>
  E.isLeft(either) ? either.left.code : undefined;

/** Whatever the call rejects with, for looking at; fails when it resolves. */
export const rejectionOf = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    () => {
      throw new Error("expected the call to reject");
    },
    (error: unknown) => error,
  );
