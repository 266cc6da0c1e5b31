import { appendBatchesFunction } from "./append-batches-function.js";
import type { SchemaNames } from "./schema-name.js";

/**
 * Group commit, and a lighter lock.
 *
 * One call appends many streams' batches under a single take of the append lock and a single
 * commit. Appends still commit one transaction after another (that is what keeps positions
 * gap-free, see schema v1), but a commit now carries every append that queued while the previous
 * one was flushing, so concurrent writers share a WAL flush instead of waiting out one each.
 *
 * The lock is now a transaction-scoped advisory lock, and the head is the highest stored
 * position, read under it. v1's counter row cost an update per append, and since nothing vacuums
 * PGlite, that row's chain of dead versions grew with every append and slowed each lock on it.
 * An advisory lock is released with the transaction's other locks, after its commit is visible,
 * so the order argument of v1 holds unchanged; a rolled-back append leaves no row, so positions
 * stay dense. `log_head` lives on as a view for readers.
 *
 * Each append keeps its own outcome: the checks of one never fail another, and appends to the
 * same stream in one call see each other in order. The common path is one insert that checks the
 * revision and the event ids itself; only a refused append reads further, to tell a retry of an
 * earlier success from a conflict.
 */
export const schemaV3 = (names: SchemaNames): ReadonlyArray<string> => {
  const s = names.quoted;
  return [
    `DROP FUNCTION ${s}.append_events(text, text, integer, jsonb)`,
    `DROP TABLE ${s}.log_head`,
    `CREATE VIEW ${s}.log_head AS SELECT coalesce(max(position), 0) AS position FROM ${s}.events`,
    appendBatchesFunction(names, "integer"),
  ];
};
