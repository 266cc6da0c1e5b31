import * as t from "io-ts";

/** The `revisions` every document carries (see `Versioned`): stream name to last applied revision. */
export const Revisions = t.readonly(t.record(t.string, t.number));

/** Documents are JSON: an unknown value is `null`, never a missing key, so a round trip keeps it. */
export const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);
