import type {
  EventStore,
  Snapshot,
  SnapshotAndEvents,
  SnapshotStore,
  StoredEvent,
} from "@mebel/core";
import { EVENT_JSON, parseEventJson } from "./event-json.js";
import type { SchemaNames } from "./schema-name.js";
import type { SqlQuery } from "./sql-client.js";

/** The snapshot's row has no event; every other row is an event after the snapshot. */
type SnapshotOrEventRow =
  | { readonly revision: string; readonly snapshot: unknown; readonly event: null }
  | { readonly revision: string; readonly snapshot: null; readonly event: string };

/**
 * The events a snapshot store can read together with its snapshots: an event store whose table
 * is in the same database, reached through the same client.
 */
export interface EventsBeside {
  readonly store: EventStore;
  readonly names: SchemaNames;
}

export const createPostgresSnapshotStore = (
  client: SqlQuery,
  { quoted: s }: SchemaNames,
  beside?: EventsBeside,
): SnapshotStore => ({
  load: async (streamName) => {
    const [row] = await client.query<{ revision: string; schema: number; state: unknown }>(
      `SELECT revision::text AS revision, schema, state FROM ${s}.snapshots WHERE stream_name = $1`,
      [streamName],
    );
    return row === undefined ? undefined : { ...row, revision: BigInt(row.revision) };
  },
  ...(beside === undefined
    ? {}
    : {
        withEvents: {
          eventsOf: beside.store,
          load: loadWithEvents(client, s, beside.names.quoted),
        },
      }),
  // A slower writer with an older state never overwrites a newer snapshot.
  save: async (streamName, snapshot) => {
    await client.query(
      `INSERT INTO ${s}.snapshots (stream_name, revision, schema, state)
       VALUES ($1, $2, $3, $4::text::jsonb)
       ON CONFLICT (stream_name) DO UPDATE
         SET revision = excluded.revision, schema = excluded.schema, state = excluded.state
         WHERE ${s}.snapshots.revision < excluded.revision OR ${s}.snapshots.schema <> excluded.schema`,
      [streamName, snapshot.revision.toString(), snapshot.schema, JSON.stringify(snapshot.state)],
    );
  },
});

// Prepared: parsing and planning this statement cost more than running it on a short tail. The
// upper bound on the revision changes no result: the planner cannot know the snapshot's
// revision, so it guesses a third of the stream lies after it, and for a long stream it then
// scans the whole table and sorts (12 ms for 100,000 events). With a second bound it takes the
// pair for a narrow range and walks the (stream_name, revision) index (0.1 ms).
const loadWithEvents =
  (client: SqlQuery, s: string, eventsTable: string) =>
  async (streamName: string, schema: number): Promise<SnapshotAndEvents> => {
    const rows = await client.query<SnapshotOrEventRow>(
      `WITH snap AS (
         SELECT revision, state FROM ${s}.snapshots WHERE stream_name = $1 AND schema = $2
       )
       SELECT revision::text, state AS snapshot, NULL::text AS event FROM snap
       UNION ALL
       (SELECT e.revision::text, NULL, ${EVENT_JSON}
          FROM ${eventsTable}.events e
         WHERE e.stream_name = $1 AND e.revision > coalesce((SELECT revision FROM snap), -1)
           AND e.revision <= 9223372036854775807
         ORDER BY e.revision)`,
      [streamName, schema],
      { prepare: true },
    );
    let snapshot: Snapshot | undefined;
    const events: StoredEvent[] = [];
    for (const row of rows) {
      if (row.event === null) {
        snapshot = { revision: BigInt(row.revision), schema, state: row.snapshot };
      } else events.push(parseEventJson(row.event));
    }
    return { snapshot, events };
  };
