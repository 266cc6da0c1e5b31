import * as t from "io-ts";

/** A codec for plain values that must satisfy a check, without a brand to construct them with. */
export const refined = <A>(name: string, is: (u: unknown) => u is A): t.Type<A, A, unknown> =>
  new t.Type(name, is, (u, context) => (is(u) ? t.success(u) : t.failure(u, context)), t.identity);
