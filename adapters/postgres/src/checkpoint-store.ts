import type { CheckpointStore } from "@mebel/core";
import { positionParam, selectPosition } from "./positions.js";
import type { SchemaNames } from "./schema-name.js";
import type { SqlQuery } from "./sql-client.js";

export const createPostgresCheckpointStore = (
  client: SqlQuery,
  { quoted: s }: SchemaNames,
): CheckpointStore => ({
  load: (name) =>
    selectPosition(
      client,
      `SELECT position::text AS position FROM ${s}.checkpoints WHERE name = $1`,
      [name],
    ),
  save: async (name, position) => {
    await client.query(
      `INSERT INTO ${s}.checkpoints (name, position) VALUES ($1, $2::numeric)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
      [name, positionParam(position)],
    );
  },
});
