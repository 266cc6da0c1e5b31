import * as t from "io-ts";
import { Revisions } from "../projections/document-codecs.js";
import { idempotent, type Projection } from "../projections/projection.js";

const Received = t.type({ units: t.number, revisions: Revisions });

/** Units received per SKU: small enough to reason about, real enough to exercise the runners. */
export const receivedUnits: Projection<t.TypeOf<typeof Received>> = {
  name: "received-units",
  version: 1,
  categories: ["StockItem"],
  codec: Received,
  keysOf: (e) => (e.event.type === "StockReceived" ? [e.event.data.sku] : []),
  apply: idempotent((doc, e) =>
    e.event.type === "StockReceived"
      ? { units: (doc?.units ?? 0) + e.event.data.quantity, revisions: doc?.revisions ?? {} }
      : doc,
  ),
};
