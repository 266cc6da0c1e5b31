import type { Snapshot, SnapshotStore, StoredEvent } from "@mebel/core";
import type { SchemaNames } from "./schema-name.js";
import type { SqlQuery } from "./sql-client.js";

/** The snapshot row has no position; every other row is an event after the snapshot. */
interface SnapshotOrEventRow {
  readonly revision: number;
  readonly snapshot: unknown;
  readonly position: string | null;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

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
  loadWithEvents: async (streamName, schema) => {
    const rows = await client.query<SnapshotOrEventRow>(
      `WITH snap AS (
         SELECT revision, state FROM ${s}.snapshots WHERE stream_name = $1 AND schema = $2
       )
       SELECT revision, state AS snapshot, NULL::text AS position, NULL AS "eventId", NULL AS type,
              NULL::jsonb AS data, NULL::jsonb AS metadata
         FROM snap
       UNION ALL
       (SELECT e.revision, NULL, e.position::text, e.event_id::text, e.type, e.data, e.metadata
          FROM ${s}.events e
         WHERE e.stream_name = $1 AND e.revision > coalesce((SELECT revision FROM snap), -1)
         ORDER BY e.revision)`,
      [streamName, schema],
    );
    let snapshot: Snapshot | undefined;
    const events: StoredEvent[] = [];
    for (const row of rows) {
      if (row.position === null) {
        snapshot = { revision: row.revision, schema, state: row.snapshot };
      } else {
        const { revision, eventId, type, data, metadata } = row;
        events.push({
          position: BigInt(row.position),
          streamName,
          revision,
          eventId,
          type,
          data,
          metadata,
        });
      }
    }
    return { snapshot, events };
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
