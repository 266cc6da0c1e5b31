import type {
  EventStore,
  Snapshot,
  SnapshotAndEvents,
  SnapshotStore,
  StoredEvent,
} from "@mebel/core";
import { coalescedLookup } from "./coalesced-lookup.js";
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

/**
 * Cold loads that arrive while one is in flight go out together in the next statement (as the
 * catalog's price lookups do): on a server that did not make the orders it serves, every line
 * loads its order, and one statement per load was a good part of that server's CPU and the
 * database's. A lone load goes out at once, in the statement a single stream reads fastest with.
 */
const loadWithEvents = (client: SqlQuery, s: string, eventsTable: string) => {
  const one = loadOne(client, s, eventsTable);
  const many = loadMany(client, s, eventsTable);
  const bySchema = new Map<
    number,
    (streamName: string) => Promise<SnapshotAndEvents | undefined>
  >();
  return (streamName: string, schema: number): Promise<SnapshotAndEvents> => {
    let lookup = bySchema.get(schema);
    if (lookup === undefined) {
      lookup = coalescedLookup(
        async (streams) =>
          streams.length === 1
            ? new Map([[streams[0] as string, await one(streams[0] as string, schema)]])
            : many(streams, schema),
        { maxKeys: 64 },
      );
      bySchema.set(schema, lookup);
    }
    return lookup(streamName).then((read) => read ?? { snapshot: undefined, events: [] });
  };
};

// Prepared: parsing and planning this statement cost more than running it on a short tail. The
// upper bound on the revision changes no result: the planner cannot know the snapshot's
// revision, so it guesses a third of the stream lies after it, and for a long stream it then
// scans the whole table and sorts (12 ms for 100,000 events). With a second bound it takes the
// pair for a narrow range and walks the (stream_name, revision) index (0.1 ms).
const loadOne =
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

/**
 * Several streams in one statement: each stream's tail walks the index as a lone load does
 * (a lateral subquery per stream, with the same two bounds). Rows are told apart by stream, and
 * each stream's events are put in revision order here rather than by a sort in the database.
 */
const loadMany =
  (client: SqlQuery, s: string, eventsTable: string) =>
  async (
    streams: ReadonlyArray<string>,
    schema: number,
  ): Promise<ReadonlyMap<string, SnapshotAndEvents>> => {
    const rows = await client.query<SnapshotOrEventRow & { readonly stream_name: string }>(
      `WITH wanted AS (SELECT DISTINCT unnest($1::text[]) AS stream_name),
       snap AS (
         SELECT n.stream_name, n.revision, n.state FROM ${s}.snapshots n
          WHERE n.stream_name = ANY ($1::text[]) AND n.schema = $2
       )
       SELECT stream_name, revision::text, state AS snapshot, NULL::text AS event FROM snap
       UNION ALL
       SELECT w.stream_name, t.revision, NULL, t.event
         FROM wanted w CROSS JOIN LATERAL (
           SELECT e.revision::text AS revision, ${EVENT_JSON} AS event
             FROM ${eventsTable}.events e
            WHERE e.stream_name = w.stream_name
              AND e.revision > coalesce(
                    (SELECT p.revision FROM snap p WHERE p.stream_name = w.stream_name), -1)
              AND e.revision <= 9223372036854775807
            ORDER BY e.revision
         ) t`,
      [streams, schema],
      { prepare: true },
    );
    const read = new Map<string, { snapshot: Snapshot | undefined; events: StoredEvent[] }>();
    const of = (streamName: string) => {
      let entry = read.get(streamName);
      if (entry === undefined) {
        entry = { snapshot: undefined, events: [] };
        read.set(streamName, entry);
      }
      return entry;
    };
    for (const row of rows) {
      const entry = of(row.stream_name);
      if (row.event === null) {
        entry.snapshot = { revision: BigInt(row.revision), schema, state: row.snapshot };
      } else entry.events.push(parseEventJson(row.event));
    }
    for (const entry of read.values()) {
      if (!inOrder(entry.events)) entry.events.sort(byRevision);
    }
    return read;
  };

const inOrder = (events: ReadonlyArray<StoredEvent>): boolean =>
  events.every((event, i) => i === 0 || (events[i - 1] as StoredEvent).revision < event.revision);

const byRevision = (a: StoredEvent, b: StoredEvent): number =>
  a.revision < b.revision ? -1 : a.revision > b.revision ? 1 : 0;
