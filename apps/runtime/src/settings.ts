import { defaultSlotPolicy, fieldErrors, type SlotPolicy, SlotPolicyCodec } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import {
  POSTGRES_NUMERIC,
  PostgresEnv,
  type PostgresSettings,
  postgresSettings,
} from "./postgres-settings.js";

const port = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n < 65_536, "Port");
const millis = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, "Milliseconds");
const url = (schemes: ReadonlyArray<string>) =>
  t.refinement(
    t.string,
    (s) => {
      try {
        return schemes.includes(new URL(s).protocol.replace(":", ""));
      } catch {
        return false;
      }
    },
    `URL (${schemes.join(", ")})`,
  );

/** Where events live: embedded PGlite (default), a PostgreSQL server, or EventStoreDB. */
export type EventsSetting =
  | { readonly kind: "embedded"; readonly dataDir: string }
  | { readonly kind: "postgres"; readonly url: string }
  | { readonly kind: "eventstoredb"; readonly url: string };

/** Where read models, checkpoints, locks, idempotency keys, snapshots and the catalog live. */
export type StateSetting =
  | { readonly kind: "embedded"; readonly dataDir: string }
  | { readonly kind: "postgres"; readonly url: string };

export interface Settings {
  readonly events: EventsSetting;
  readonly state: StateSetting;
  /** Schema of the events when they are in PostgreSQL. */
  readonly schema: string;
  /** Schema of read models, checkpoints and the rest: one per service when services run apart. */
  readonly stateSchema: string;
  readonly host: string;
  readonly ports: {
    readonly site: number;
    readonly catalog: number;
    readonly warehouse: number;
    readonly delivery: number;
  };
  /** Where the site and warehouse reach the other services when each runs alone. */
  readonly urls: {
    readonly catalog?: string;
    readonly warehouse?: string;
    /** Only the site's `/api/delivery` pass-through calls the delivery service. */
    readonly delivery?: string;
  };
  readonly logLevel: string;
  readonly couriersJson?: string;
  readonly sweepIntervalMs: number;
  readonly orphanGraceMs: number;
  readonly deliveryGraceMs: number;
  /** On SIGTERM, how long requests in flight may take before their connections are closed. */
  readonly shutdownGraceMs: number;
  /** Pool size, timeouts and session names of PostgreSQL connections. */
  readonly postgres: PostgresSettings;
  readonly mail: MailSettings;
  /** How delivery days are cut into the windows customers are told, and the shop's time zone. */
  readonly slots: SlotPolicy;
}

/**
 * Customers' e-mail. `smtpUrl` absent: the embedded demo keeps mail in a development sink a person
 * can read (`sinkPort`); services on a server send none. `fault` stops the process at a point of
 * the outbox's path, for the crash tests only.
 */
export interface MailSettings {
  readonly smtpUrl?: string;
  readonly from: string;
  readonly sinkPort: number;
  readonly pollMs: number;
  readonly fault?: MailFault;
}

export const MailFault = t.keyof({ "after-record": null, "after-send": null });
export type MailFault = t.TypeOf<typeof MailFault>;

const schemaName = t.refinement(t.string, (s) => /^[a-z_][a-z0-9_]{0,47}$/.test(s), "SchemaName");

const serviceProps = {
  MEBEL_DATA_DIR: t.string,
  EVENTSTORE_URL: url(["esdb", "esdb+discover", "postgres", "postgresql"]),
  DATABASE_URL: url(["postgres", "postgresql"]),
  MEBEL_SCHEMA: schemaName,
  MEBEL_STATE_SCHEMA: schemaName,
  HOST: t.string,
  SITE_PORT: port,
  CATALOG_PORT: port,
  WAREHOUSE_PORT: port,
  DELIVERY_PORT: port,
  CATALOG_URL: url(["http", "https"]),
  WAREHOUSE_URL: url(["http", "https"]),
  DELIVERY_URL: url(["http", "https"]),
  LOG_LEVEL: t.keyof({
    trace: null,
    debug: null,
    info: null,
    warn: null,
    error: null,
    fatal: null,
    silent: null,
  }),
  MEBEL_COURIERS: t.string,
  MEBEL_DELIVERY_SLOTS: t.string,
  MEBEL_SWEEP_INTERVAL_MS: millis,
  MEBEL_ORPHAN_GRACE_MS: millis,
  MEBEL_DELIVERY_GRACE_MS: millis,
  MEBEL_SHUTDOWN_GRACE_MS: millis,
  MEBEL_SMTP_URL: url(["smtp", "smtps"]),
  MEBEL_MAIL_FROM: t.string,
  MEBEL_MAIL_SINK_PORT: port,
  MEBEL_MAIL_POLL_MS: millis,
  MEBEL_TEST_MAIL_FAULT: MailFault,
};

// One flat codec, so each error names its variable alone.
const Env = t.partial({ ...serviceProps, ...PostgresEnv.props });

const NUMERIC = new Set([
  "SITE_PORT",
  "CATALOG_PORT",
  "WAREHOUSE_PORT",
  "DELIVERY_PORT",
  "MEBEL_SWEEP_INTERVAL_MS",
  "MEBEL_ORPHAN_GRACE_MS",
  "MEBEL_DELIVERY_GRACE_MS",
  "MEBEL_SHUTDOWN_GRACE_MS",
  "MEBEL_MAIL_SINK_PORT",
  "MEBEL_MAIL_POLL_MS",
  ...POSTGRES_NUMERIC,
]);

/** Environment variables are text: numbers are read as numbers before decoding, blanks ignored. */
const normalise = (env: Readonly<Record<string, string | undefined>>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(env)
      .filter(([, v]) => v !== undefined && v.trim() !== "")
      .map(([k, v]) => [k, NUMERIC.has(k) && /^\d+$/.test(v ?? "") ? Number(v) : v]),
  );

/**
 * The combinations docs/operations.md does not list as supported, each refused with its reason:
 * a process that starts on them would put events or state somewhere nobody expects.
 */
const unsupportedCombination = (
  events: EventsSetting,
  v: t.TypeOf<typeof Env>,
): ReadonlyArray<string> => {
  switch (events.kind) {
    case "embedded":
      return [
        ...(v.DATABASE_URL === undefined
          ? []
          : [
              "DATABASE_URL: embedded events keep their state beside them in PGlite; set EVENTSTORE_URL too (a PostgreSQL URL, maybe the same) to run on a server",
            ]),
        ...(v.MEBEL_STATE_SCHEMA === undefined ||
        v.MEBEL_STATE_SCHEMA === (v.MEBEL_SCHEMA ?? "mebel")
          ? []
          : [
              "MEBEL_STATE_SCHEMA: the embedded store keeps events and state in one schema; separate schemas are for services that run apart on PostgreSQL",
            ]),
      ];
    case "eventstoredb":
      return [
        ...(v.DATABASE_URL === undefined
          ? ["DATABASE_URL: read models need PostgreSQL when events are in EventStoreDB"]
          : []),
        ...(v.MEBEL_SCHEMA === undefined
          ? []
          : [
              "MEBEL_SCHEMA: names the schema of events in PostgreSQL, and the events are in EventStoreDB; use MEBEL_STATE_SCHEMA for the read models",
            ]),
      ];
    case "postgres":
      return [];
  }
};

/** The slot policy: the defaults, with what MEBEL_DELIVERY_SLOTS (JSON) says over them. */
const slotPolicyOf = (json: string | undefined): E.Either<string, SlotPolicy> => {
  if (json === undefined) return E.right(defaultSlotPolicy);
  let given: unknown;
  try {
    given = JSON.parse(json);
  } catch {
    return E.left("MEBEL_DELIVERY_SLOTS: expected JSON");
  }
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    return E.left("MEBEL_DELIVERY_SLOTS: expected a JSON object");
  }
  const decoded = SlotPolicyCodec.decode({ ...defaultSlotPolicy, ...given });
  return E.isRight(decoded)
    ? E.right(decoded.right)
    : E.left(
        `MEBEL_DELIVERY_SLOTS: ${fieldErrors(decoded.left)
          .map((e) => `${e.path === "(root)" ? "" : `${e.path}: `}expected ${e.expected}`)
          .join(", ")}`,
      );
};

/**
 * Settings from environment variables (docs/operations.md lists them all). Everything is
 * optional: with nothing set, every service runs on an embedded PGlite in `./.data`.
 */
export const readSettings = (
  env: Readonly<Record<string, string | undefined>>,
): E.Either<ReadonlyArray<string>, Settings> => {
  const decoded = Env.decode(normalise(env));
  if (E.isLeft(decoded)) {
    return E.left(fieldErrors(decoded.left).map((e) => `${e.path}: expected ${e.expected}`));
  }
  const v = decoded.right;
  const slots = slotPolicyOf(v.MEBEL_DELIVERY_SLOTS);
  if (E.isLeft(slots)) return E.left([slots.left]);
  const dataDir = v.MEBEL_DATA_DIR ?? ".data";
  const eventsUrl = v.EVENTSTORE_URL;
  const events: EventsSetting =
    eventsUrl === undefined
      ? { kind: "embedded", dataDir }
      : eventsUrl.startsWith("esdb")
        ? { kind: "eventstoredb", url: eventsUrl }
        : { kind: "postgres", url: eventsUrl };
  const stateUrl = v.DATABASE_URL ?? (events.kind === "postgres" ? events.url : undefined);
  const unsupported = unsupportedCombination(events, v);
  if (unsupported.length > 0) return E.left(unsupported);
  return E.right({
    events,
    state:
      stateUrl === undefined ? { kind: "embedded", dataDir } : { kind: "postgres", url: stateUrl },
    schema: v.MEBEL_SCHEMA ?? "mebel",
    stateSchema: v.MEBEL_STATE_SCHEMA ?? v.MEBEL_SCHEMA ?? "mebel",
    host: v.HOST ?? "127.0.0.1",
    ports: {
      site: v.SITE_PORT ?? 3000,
      catalog: v.CATALOG_PORT ?? 3001,
      warehouse: v.WAREHOUSE_PORT ?? 3002,
      delivery: v.DELIVERY_PORT ?? 3003,
    },
    urls: {
      ...(v.CATALOG_URL === undefined ? {} : { catalog: v.CATALOG_URL }),
      ...(v.WAREHOUSE_URL === undefined ? {} : { warehouse: v.WAREHOUSE_URL }),
      ...(v.DELIVERY_URL === undefined ? {} : { delivery: v.DELIVERY_URL }),
    },
    logLevel: v.LOG_LEVEL ?? "info",
    ...(v.MEBEL_COURIERS === undefined ? {} : { couriersJson: v.MEBEL_COURIERS }),
    sweepIntervalMs: v.MEBEL_SWEEP_INTERVAL_MS ?? 10_000,
    orphanGraceMs: v.MEBEL_ORPHAN_GRACE_MS ?? 30_000,
    deliveryGraceMs: v.MEBEL_DELIVERY_GRACE_MS ?? 60_000,
    shutdownGraceMs: v.MEBEL_SHUTDOWN_GRACE_MS ?? 5_000,
    postgres: postgresSettings(v),
    slots: slots.right,
    mail: {
      ...(v.MEBEL_SMTP_URL === undefined ? {} : { smtpUrl: v.MEBEL_SMTP_URL }),
      from: v.MEBEL_MAIL_FROM ?? "Mebel <shop@mebel.localhost>",
      sinkPort: v.MEBEL_MAIL_SINK_PORT ?? 3025,
      pollMs: v.MEBEL_MAIL_POLL_MS ?? 1_000,
      ...(v.MEBEL_TEST_MAIL_FAULT === undefined ? {} : { fault: v.MEBEL_TEST_MAIL_FAULT }),
    },
  });
};
