import type { PgOptions } from "@mebel/adapter-postgres";
import * as t from "io-ts";

const between = (min: number, max: number, name: string) =>
  t.refinement(t.number, (n) => Number.isInteger(n) && n >= min && n <= max, name);

const DAY_MS = 86_400_000;

/** Shown in pg_stat_activity; room is left for the `/session` and `/listen` suffixes. */
const applicationName = t.refinement(
  t.string,
  (s) => /^[A-Za-z0-9_.:-]{1,48}$/.test(s),
  "ApplicationName",
);

/** `host`, `host:port` or `[v6]:port`: where session connections go instead of the URL's host. */
const hostAndPort = t.refinement(
  t.string,
  (s) => /^([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(:\d{1,5})?$/.test(s),
  "Host or host:port",
);

/** The PostgreSQL driver's settings (docs/operations.md, "Connections"). */
export const PostgresEnv = t.partial({
  MEBEL_PG_POOL_MAX: between(1, 1_000, "PoolSize (1-1000)"),
  MEBEL_PG_CONNECT_TIMEOUT_MS: between(100, DAY_MS, "Milliseconds (100 or more)"),
  MEBEL_PG_STATEMENT_TIMEOUT_MS: between(100, DAY_MS, "Milliseconds (100 or more)"),
  MEBEL_PG_IDLE_TIMEOUT_MS: between(100, DAY_MS, "Milliseconds (100 or more)"),
  MEBEL_PG_MAX_LIFETIME_MS: between(1_000, DAY_MS, "Milliseconds (1000 or more)"),
  MEBEL_PG_HEARTBEAT_MS: between(50, 60_000, "Milliseconds (50-60000)"),
  MEBEL_APPLICATION_NAME: applicationName,
  MEBEL_PG_SESSION_HOST: hostAndPort,
});

export const POSTGRES_NUMERIC: ReadonlyArray<keyof t.TypeOf<typeof PostgresEnv>> = [
  "MEBEL_PG_POOL_MAX",
  "MEBEL_PG_CONNECT_TIMEOUT_MS",
  "MEBEL_PG_STATEMENT_TIMEOUT_MS",
  "MEBEL_PG_IDLE_TIMEOUT_MS",
  "MEBEL_PG_MAX_LIFETIME_MS",
  "MEBEL_PG_HEARTBEAT_MS",
];

export interface PostgresSettings {
  /** Pooled connections per PostgreSQL server an instance talks to. */
  readonly poolMax: number;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxLifetimeMs: number;
  /** How often the lock session and the listener are checked, and how long they may take. */
  readonly heartbeatMs: number;
  /** Unset: `mebel-<service>`, chosen by the process that starts. */
  readonly applicationName?: string;
  /** Where the listener and the lock session connect, bypassing a transaction-mode pooler. */
  readonly sessionHost?: string;
}

export const postgresSettings = (v: t.TypeOf<typeof PostgresEnv>): PostgresSettings => ({
  poolMax: v.MEBEL_PG_POOL_MAX ?? 8,
  connectTimeoutMs: v.MEBEL_PG_CONNECT_TIMEOUT_MS ?? 5_000,
  statementTimeoutMs: v.MEBEL_PG_STATEMENT_TIMEOUT_MS ?? 15_000,
  idleTimeoutMs: v.MEBEL_PG_IDLE_TIMEOUT_MS ?? 30_000,
  maxLifetimeMs: v.MEBEL_PG_MAX_LIFETIME_MS ?? 1_800_000,
  heartbeatMs: v.MEBEL_PG_HEARTBEAT_MS ?? 500,
  ...(v.MEBEL_APPLICATION_NAME === undefined ? {} : { applicationName: v.MEBEL_APPLICATION_NAME }),
  ...(v.MEBEL_PG_SESSION_HOST === undefined ? {} : { sessionHost: v.MEBEL_PG_SESSION_HOST }),
});

/** `url` with its host (and port, when given) replaced by `host`. */
const withHost = (url: string, host: string): string => {
  const parsed = new URL(url);
  parsed.host = host;
  return parsed.toString();
};

/** The driver's options for these settings, for a client of `url`. */
export const pgOptions = (settings: PostgresSettings, url: string): PgOptions => ({
  max: settings.poolMax,
  connectTimeoutMs: settings.connectTimeoutMs,
  statementTimeoutMs: settings.statementTimeoutMs,
  idleTimeoutMs: settings.idleTimeoutMs,
  maxLifetimeSeconds: Math.ceil(settings.maxLifetimeMs / 1_000),
  heartbeatMs: settings.heartbeatMs,
  applicationName: settings.applicationName ?? "mebel",
  ...(settings.sessionHost === undefined
    ? {}
    : { sessionUrl: withHost(url, settings.sessionHost) }),
});
