import type { EventStore, Subscription } from "@mebel/core";
import { createAppendQueue } from "./append-queue.js";
import { EVENT_JSON, parseEventJson } from "./event-json.js";
import { follow } from "./follow.js";
import { selectPosition } from "./positions.js";
import { createReadAll } from "./read-all.js";
import type { SchemaNames } from "./schema-name.js";
import type { SqlClient } from "./sql-client.js";
import { keepStatistics } from "./statistics.js";
import type { Wakeups } from "./wakeups.js";

/** The last revision a bigint column holds: where a backwards read with no start begins. */
const INT8_MAX = "9223372036854775807";

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

  const readStreamQuery = (backwards: boolean) =>
    `SELECT ${EVENT_JSON} AS event FROM ${s}.events e
      WHERE e.stream_name = $1 AND e.revision ${backwards ? "<=" : ">="} $2
      ORDER BY e.revision ${backwards ? "DESC" : "ASC"} LIMIT $3`;
  const forwards = readStreamQuery(false);
  const backwards = readStreamQuery(true);

  const readStream: EventStore["readStream"] = async (streamName, options = {}) => {
    const isBackwards = options.direction === "backwards";
    const rows = await client.query<{ readonly event: string }>(
      isBackwards ? backwards : forwards,
      [
        streamName,
        options.fromRevision?.toString() ?? (isBackwards ? INT8_MAX : "0"),
        options.maxCount ?? null,
      ],
      { prepare: true },
    );
    return rows.map((row) => parseEventJson(row.event));
  };

  const readAll = createReadAll(client, s);

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
