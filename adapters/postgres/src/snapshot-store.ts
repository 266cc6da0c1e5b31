import type { Snapshot, SnapshotStore } from "@mebel/core";
import type { SchemaNames } from "./schema-name.js";
import type { SqlQuery } from "./sql-client.js";

export const createPostgresSnapshotStore = (
  client: SqlQuery,
  { quoted: s }: SchemaNames,
): SnapshotStore => ({
  load: async (streamName) => {
    const [row] = await client.query<Snapshot>(
      `SELECT revision, schema, state FROM ${s}.snapshots WHERE stream_name = $1`,
      [streamName],
    );
    return row;
  },
  // A slower writer with an older state never overwrites a newer snapshot.
  save: async (streamName, snapshot) => {
    await client.query(
      `INSERT INTO ${s}.snapshots (stream_name, revision, schema, state)
       VALUES ($1, $2, $3, $4::text::jsonb)
       ON CONFLICT (stream_name) DO UPDATE
         SET revision = excluded.revision, schema = excluded.schema, state = excluded.state
         WHERE ${s}.snapshots.revision < excluded.revision OR ${s}.snapshots.schema <> excluded.schema`,
      [streamName, snapshot.revision, snapshot.schema, JSON.stringify(snapshot.state)],
    );
  },
});
