import * as t from "io-ts";

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * A stream revision inside a document: its decimal text, since JSON has no 64-bit integer and a
 * number would round past 2^53.
 */
export const RevisionText = new t.Type<string, string, unknown>(
  "RevisionText",
  (u): u is string => typeof u === "string" && DECIMAL.test(u),
  (u, c) => (typeof u === "string" && DECIMAL.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** The `revisions` every document carries (see `Versioned`): stream name to last applied revision. */
export const Revisions = t.readonly(t.record(t.string, RevisionText));

/** Documents are JSON: an unknown value is `null`, never a missing key, so a round trip keeps it. */
export const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);
