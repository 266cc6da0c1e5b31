import {
  DEFAULT_READ_BATCH,
  type EventStore,
  type ReadAllPage,
  type StoredEvent,
  type Subscription,
} from "@mebel/core";
import { createAppendQueue } from "./append-queue.js";
import { follow } from "./follow.js";
import { selectPosition } from "./positions.js";
import type { SchemaNames } from "./schema-name.js";
import type { SqlClient } from "./sql-client.js";
import { keepStatistics } from "./statistics.js";
import type { Wakeups } from "./wakeups.js";

/** Positions travel as text: pg hands bigints over as strings, PGlite as numbers or bigints. */
const EVENT_COLUMNS = `e.position::text AS position, e.stream_name AS "streamName", e.revision,
  e.event_id::text AS "eventId", e.type, e.data, e.metadata`;

type EventRow = Omit<StoredEvent, "position"> & { readonly position: string };

const toStoredEvent = (row: EventRow): StoredEvent => ({ ...row, position: BigInt(row.position) });

type PageRow = { readonly head: string } & (EventRow | { readonly [K in keyof EventRow]: null });

const INT4_MAX = 2_147_483_647;

export interface PostgresEventStore {
  readonly eventStore: EventStore;
  /** Stops every subscription still running and waits for background work (the stores close). */
  readonly close: () => Promise<void>;
}

export const createPostgresEventStore = (
  client: SqlClient,
  { quoted: s }: SchemaNames,
  wakeups: Wakeups,
): PostgresEventStore => {
  const subscriptions = new Set<Subscription>();
  // Only the columns pages and loads filter on: analyzing the jsonb payloads costs most and helps nothing.
  const statistics = keepStatistics(client, `${s}.events`, ["position", "category", "stream_name"]);

  const append = createAppendQueue(client, s, { onAppended: statistics.grew });

  const readStream: EventStore["readStream"] = async (streamName, options = {}) => {
    const backwards = options.direction === "backwards";
    const rows = await client.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${s}.events e
        WHERE e.stream_name = $1 AND e.revision ${backwards ? "<=" : ">="} $2
        ORDER BY e.revision ${backwards ? "DESC" : "ASC"} LIMIT $3`,
      [streamName, options.fromRevision ?? (backwards ? INT4_MAX : 0), options.maxCount ?? null],
    );
    return rows.map(toStoredEvent);
  };

  const readAll: EventStore["readAll"] = async (options = {}): Promise<ReadAllPage> => {
    const after = options.after ?? 0n;
    const maxCount = Math.max(1, options.maxCount ?? DEFAULT_READ_BATCH);
    const categories = options.categories === undefined ? [] : [new Set(options.categories)];
    // One ordered walk of the (category, position) index per category, merged: a filter on
    // `category = ANY(...)` would sort every remaining match of a long log for each page.
    const page =
      categories.length === 0
        ? `SELECT * FROM ${s}.events e WHERE e.position > $1::bigint ORDER BY e.position LIMIT $2`
        : `SELECT f.* FROM unnest($3::text[]) AS c(category)
             CROSS JOIN LATERAL (
               SELECT * FROM ${s}.events e
                WHERE e.category = c.category AND e.position > $1::bigint
                ORDER BY e.position LIMIT $2
             ) f
            ORDER BY f.position LIMIT $2`;
    // The head comes from the same snapshot as the page: when the page is short, everything up
    // to the head has been read, filtered-out events included, so the head is a safe checkpoint.
    // LIMIT 1 tells a planner without statistics that log_head is one row (else it guesses
    // thousands, and the inflated cost buys JIT compilation on every page).
    const rows = await client.query<PageRow>(
      `SELECT h.position::text AS head, ${EVENT_COLUMNS}
         FROM (SELECT position FROM ${s}.log_head LIMIT 1) h LEFT JOIN LATERAL (${page}) e ON true
        ORDER BY e.position`,
      [after.toString(), maxCount, ...categories.map((set) => [...set])],
    );
    const head = BigInt(rows[0]?.head ?? "0");
    const events = rows.flatMap(({ head: _, ...row }) =>
      row.position === null ? [] : [toStoredEvent(row as EventRow)],
    );
    const last = events[events.length - 1];
    if (events.length === maxCount && last !== undefined) {
      return { events, position: last.position, isEnd: last.position >= head };
    }
    return head > after ? { events, position: head, isEnd: true } : { events, isEnd: true };
  };

  const subscribe: EventStore["subscribe"] = (options, handler) => {
    const subscription = follow(readAll, wakeups, options, handler);
    subscriptions.add(subscription);
    void subscription.done.then(
      () => subscriptions.delete(subscription),
      () => subscriptions.delete(subscription),
    );
    return subscription;
  };

  // The log head counts events, so 0 is an empty store.
  const head: EventStore["head"] = async () =>
    selectPosition(
      client,
      `SELECT position::text AS position FROM ${s}.log_head WHERE position > 0`,
      [],
    );

  return {
    eventStore: { append, readStream, readAll, subscribe, head },
    close: async () => {
      await Promise.all([...subscriptions].map((subscription) => subscription.stop()));
      await statistics.settle();
    },
  };
};
