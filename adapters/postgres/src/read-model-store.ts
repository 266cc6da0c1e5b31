import { CheckpointMovedError, type IndexEntry, type ReadModelStore } from "@mebel/core";
import { positionParam, selectPosition } from "./positions.js";
import type { SchemaNames } from "./schema-name.js";
import type { SqlClient, SqlQuery } from "./sql-client.js";

/** The changes as one JSON object, `null` for a deletion; throws before anything is written. */
const encodeChanges = (changes: ReadonlyMap<string, unknown>): string => {
  const members = [...changes].map(([key, doc]) => {
    const json = doc === null ? "null" : JSON.stringify(doc);
    if (json === undefined) throw new TypeError(`Document ${key} is not JSON.`);
    return `${JSON.stringify(key)}:${json}`;
  });
  return `{${members.join(",")}}`;
};

interface DocRow {
  readonly key: string;
  readonly doc: unknown;
}

/** The index entries as one JSON array of [index, group, sort, key]. */
const encodeEntries = (index: ReadonlyMap<string, ReadonlyArray<IndexEntry>>): string =>
  JSON.stringify(
    [...index].flatMap(([key, entries]) => entries.map((e) => [e.index, e.group, e.sort, key])),
  );

const writeChanges = (
  client: SqlQuery,
  s: string,
  projection: string,
  changes: ReadonlyMap<string, unknown>,
  position: bigint,
  index: ReadonlyMap<string, ReadonlyArray<IndexEntry>> | undefined,
) =>
  // One statement is one transaction: the documents, their index entries and the checkpoint
  // commit together or not at all. The sibling statements of a WITH run on one snapshot in no set
  // order, so entries that stay are neither deleted nor inserted again: only what moved changes.
  client.query(
    `WITH changes AS (
       SELECT c.key COLLATE "C" AS key, c.value AS doc FROM jsonb_each($2::text::jsonb) c
     ), entries AS (
       SELECT e->>0 AS index_name, e->>1 AS grp, e->>2 AS sort, e->>3 AS key
         FROM jsonb_array_elements($4::text::jsonb) e
     ), reindexed AS (
       SELECT c.key FROM changes c WHERE $5::boolean OR jsonb_typeof(c.doc) = 'null'
     ), removed AS (
       DELETE FROM ${s}.read_model_docs d USING changes c
        WHERE d.projection = $1 AND d.key = c.key AND jsonb_typeof(c.doc) = 'null'
     ), written AS (
       INSERT INTO ${s}.read_model_docs (projection, key, doc)
       SELECT $1, c.key, c.doc FROM changes c WHERE jsonb_typeof(c.doc) <> 'null'
       ON CONFLICT (projection, key) DO UPDATE SET doc = excluded.doc
     ), unlisted AS (
       DELETE FROM ${s}.read_model_index i USING reindexed r
        WHERE i.projection = $1 AND i.key = r.key
          AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.index_name = i.index_name
                          AND e.grp = i.grp AND e.sort = i.sort AND e.key = i.key)
     ), listed AS (
       INSERT INTO ${s}.read_model_index (projection, index_name, grp, sort, key)
       SELECT $1, e.index_name, e.grp, e.sort, e.key FROM entries e
       ON CONFLICT DO NOTHING
     )
     INSERT INTO ${s}.read_model_checkpoints (projection, position) VALUES ($1, $3::numeric)
     ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
    [
      projection,
      encodeChanges(changes),
      positionParam(position),
      index === undefined ? "[]" : encodeEntries(index),
      index !== undefined,
    ],
  );

interface PagedRow {
  readonly key: string;
  readonly sort: string;
  readonly doc: unknown;
}

/** A page of one group: a walk of the index's primary key from `after`, joined to the documents. */
const pageStatement = (s: string, order: "asc" | "desc", after: boolean) => {
  const direction = order === "asc" ? "" : " DESC";
  const from = after ? `AND (i.sort, i.key) ${order === "asc" ? ">" : "<"} ($4, $5)` : "";
  return `SELECT i.key, i.sort, d.doc FROM ${s}.read_model_index i
      JOIN ${s}.read_model_docs d ON d.projection = i.projection AND d.key = i.key
     WHERE i.projection = $1 AND i.index_name = $2 AND i.grp = $3 ${from}
     ORDER BY i.sort${direction}, i.key${direction}
     LIMIT $${after ? 6 : 4}`;
};

export const createPostgresReadModelStore = (
  client: SqlClient,
  { quoted: s }: SchemaNames,
): ReadModelStore => ({
  checkpoint: (projection) =>
    selectPosition(
      client,
      `SELECT position::text AS position FROM ${s}.read_model_checkpoints WHERE projection = $1`,
      [projection],
    ),
  checkpointAges: async () => {
    // Both instants from the database's clock, so an app server's clock cannot skew the age.
    const rows = await client.query<{ projection: string; moved_at: string; seconds: number }>(
      `SELECT projection,
              to_char(moved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS moved_at,
              greatest(extract(epoch FROM now() - moved_at), 0)::float8 AS seconds
         FROM ${s}.read_model_checkpoints`,
    );
    return new Map(
      rows.map((r) => [r.projection, { movedAt: r.moved_at, seconds: Number(r.seconds) }]),
    );
  },
  getMany: async (projection, keys) => {
    const rows = await client.query<DocRow>(
      `SELECT key, doc FROM ${s}.read_model_docs WHERE projection = $1 AND key = ANY($2::text[])`,
      [projection, keys],
    );
    return new Map(rows.map((row) => [row.key, row.doc]));
  },
  list: async (projection) =>
    client.query<DocRow>(
      `SELECT key, doc FROM ${s}.read_model_docs WHERE projection = $1 ORDER BY key`,
      [projection],
    ),
  page: (projection, { index, group, order, limit, after }) =>
    client.query<PagedRow>(
      pageStatement(s, order, after !== undefined),
      after === undefined
        ? [projection, index, group, limit]
        : [projection, index, group, after.sort, after.key, limit],
    ),
  commit: async (projection, changes, position, expected, index) => {
    if (expected === undefined) {
      await writeChanges(client, s, projection, changes, position, index);
      return;
    }
    await client.transaction(async (tx) => {
      const [row] = await tx.query<{ position: string }>(
        `SELECT position::text AS position FROM ${s}.read_model_checkpoints
          WHERE projection = $1 FOR UPDATE`,
        [projection],
      );
      const stored = row === undefined ? null : BigInt(row.position);
      if (stored !== expected) {
        throw new CheckpointMovedError(`${projection} is no longer at ${expected ?? "the start"}.`);
      }
      await writeChanges(tx, s, projection, changes, position, index);
    });
  },
  reset: async (projection) => {
    await client.query(
      `WITH docs AS (DELETE FROM ${s}.read_model_docs WHERE projection = $1),
       entries AS (DELETE FROM ${s}.read_model_index WHERE projection = $1)
       DELETE FROM ${s}.read_model_checkpoints WHERE projection = $1`,
      [projection],
    );
  },
  swap: async (target, source) => {
    await client.transaction(async (tx) => {
      await tx.query(`DELETE FROM ${s}.read_model_docs WHERE projection = $1`, [target]);
      await tx.query(`UPDATE ${s}.read_model_docs SET projection = $1 WHERE projection = $2`, [
        target,
        source,
      ]);
      await tx.query(`DELETE FROM ${s}.read_model_index WHERE projection = $1`, [target]);
      await tx.query(`UPDATE ${s}.read_model_index SET projection = $1 WHERE projection = $2`, [
        target,
        source,
      ]);
      await tx.query(`DELETE FROM ${s}.read_model_checkpoints WHERE projection = $1`, [target]);
      await tx.query(
        `UPDATE ${s}.read_model_checkpoints SET projection = $1 WHERE projection = $2`,
        [target, source],
      );
    });
  },
});
