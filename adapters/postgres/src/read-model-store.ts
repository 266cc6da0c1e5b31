import { CheckpointMovedError, type ReadModelStore } from "@mebel/core";
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

const writeChanges = (
  client: SqlQuery,
  s: string,
  projection: string,
  changes: ReadonlyMap<string, unknown>,
  position: bigint,
) =>
  // One statement is one transaction: the documents and the checkpoint commit together or not at all.
  client.query(
    `WITH changes AS (
       SELECT c.key COLLATE "C" AS key, c.value AS doc FROM jsonb_each($2::text::jsonb) c
     ), removed AS (
       DELETE FROM ${s}.read_model_docs d USING changes c
        WHERE d.projection = $1 AND d.key = c.key AND jsonb_typeof(c.doc) = 'null'
     ), written AS (
       INSERT INTO ${s}.read_model_docs (projection, key, doc)
       SELECT $1, c.key, c.doc FROM changes c WHERE jsonb_typeof(c.doc) <> 'null'
       ON CONFLICT (projection, key) DO UPDATE SET doc = excluded.doc
     )
     INSERT INTO ${s}.read_model_checkpoints (projection, position) VALUES ($1, $3::numeric)
     ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
    [projection, encodeChanges(changes), positionParam(position)],
  );

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
  commit: async (projection, changes, position, expected) => {
    if (expected === undefined) {
      await writeChanges(client, s, projection, changes, position);
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
      await writeChanges(tx, s, projection, changes, position);
    });
  },
  reset: async (projection) => {
    await client.query(
      `WITH docs AS (DELETE FROM ${s}.read_model_docs WHERE projection = $1)
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
      await tx.query(`DELETE FROM ${s}.read_model_checkpoints WHERE projection = $1`, [target]);
      await tx.query(
        `UPDATE ${s}.read_model_checkpoints SET projection = $1 WHERE projection = $2`,
        [target, source],
      );
    });
  },
});
