import { openPglite, type SqlQuery } from "@mebel/adapter-postgres";
import type { ServerStore } from "../harness/databases.js";

export interface AppendCounts {
  /** Transactions that wrote events during the run, on every stream. */
  readonly transactions: number;
  /** Appends on the hot stream (one transaction each) and the reservations they held. */
  readonly hotAppends: number;
  readonly hotReservations: number;
  readonly maxPerHotAppend: number;
  /** When the last unit of the hot stream was reserved (its decision's `occurredAt`), epoch ms. */
  readonly lastReservedAt: number;
}

/**
 * Counted from the rows themselves, not timed: every event row carries the id of the transaction
 * that wrote it (`xmin`), so the events of one append share it. Survives a noisy machine.
 */
export const appendCounts = async (
  client: SqlQuery,
  schema: string,
  stream: string,
): Promise<AppendCounts> => {
  // The run begins with its first reservation: every order was created before it.
  const [first] = await client.query<{ position: string | null }>(
    `SELECT min(position)::text AS position FROM "${schema}".events
      WHERE stream_name = $1 AND type = 'StockReserved'`,
    [stream],
  );
  const from = first?.position ?? "0";
  const [all] = await client.query<{ transactions: string }>(
    `SELECT count(DISTINCT xmin::text)::text AS transactions FROM "${schema}".events
      WHERE position >= $1`,
    [from],
  );
  const [hot] = await client.query<{
    appends: string;
    reservations: string;
    most: string | null;
    last: string | null;
  }>(
    `SELECT count(*)::text AS appends, coalesce(sum(n), 0)::text AS reservations,
            max(n)::text AS most, max(last) AS last
       FROM (SELECT xmin::text, count(*) AS n, max(metadata->>'occurredAt') AS last
               FROM "${schema}".events
              WHERE stream_name = $1 AND type = 'StockReserved' GROUP BY 1) AS per_append`,
    [stream],
  );
  return {
    transactions: Number(all?.transactions ?? 0),
    hotAppends: Number(hot?.appends ?? 0),
    hotReservations: Number(hot?.reservations ?? 0),
    maxPerHotAppend: Number(hot?.most ?? 0),
    lastReservedAt: hot?.last == null ? Number.NaN : Date.parse(hot.last),
  };
};

/** The server's stores, opened again once its processes have stopped (PGlite: one owner). */
export const afterServers = async <T>(
  client: SqlQuery,
  store: ServerStore,
  read: (client: SqlQuery) => Promise<T>,
): Promise<T> => {
  if (store.kind === "postgres") return read(client);
  const own = await openPglite(store.dataDir);
  try {
    return await read(own);
  } finally {
    await own.close();
  }
};

/**
 * What the database's backends of this bench are doing, sampled until `stop`: per sample, each
 * backend not idle counts once under its wait event ("cpu" when it waits on nothing). The share of
 * samples in which no backend was busy says how much of the run the database sat idle.
 */
export const sampleBackends = (client: SqlQuery) => {
  const waits: Record<string, number> = {};
  let samples = 0;
  let idleSamples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await client.query<{ wait: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'cpu') AS wait
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()
            AND backend_type = 'client backend' AND state = 'active'`,
      );
      samples += 1;
      if (rows.length === 0) idleSamples += 1;
      for (const { wait } of rows) waits[wait] = (waits[wait] ?? 0) + 1;
      // A pause between samples, so that the watching does not take a core of its own.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return { samples, idleShare: samples === 0 ? Number.NaN : idleSamples / samples, waits };
  };
};
