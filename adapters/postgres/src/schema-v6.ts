import { appendBatchesFunction } from "./append-batches-function.js";
import type { SchemaNames } from "./schema-name.js";

/**
 * Stream revisions become 64-bit, as global positions always were: a stream may outgrow 2^31
 * events (a busy SKU's stock item over years), and EventStoreDB's revisions are 64-bit too. The
 * column changes rewrite the tables under an exclusive lock, once; the append function is
 * recreated because its result type changes.
 */
export const schemaV6 = (names: SchemaNames): ReadonlyArray<string> => {
  const s = names.quoted;
  return [
    `ALTER TABLE ${s}.events ALTER COLUMN revision TYPE bigint`,
    `ALTER TABLE ${s}.snapshots ALTER COLUMN revision TYPE bigint`,
    `DROP FUNCTION ${s}.append_batches(jsonb)`,
    appendBatchesFunction(names, "bigint"),
  ];
};
