import { connectPg, type TestDatabase } from "@mebel/adapter-postgres";
import {
  type AllInOne,
  freePorts,
  type Ports,
  startProcess,
  withTestKeys,
} from "../test-process.js";

export type Service = "catalog" | "warehouse" | "delivery" | "site";

export interface SubscriberHealth {
  readonly name: string;
  readonly state: string;
  readonly lag: string | null;
  readonly head: string | null;
  readonly checkpoint: string | null;
  readonly error?: string;
}

export interface SweepHealth {
  readonly name: string;
  readonly state: string;
  readonly error?: string;
}

/** What `/health` said, or why it said nothing. */
export type HealthAnswer =
  | {
      readonly ok: true;
      readonly status: number;
      readonly subscribers: SubscriberHealth[];
      readonly sweeps: SweepHealth[];
    }
  | { readonly ok: false; readonly reason: string };

/** When an instance was gone: from its kill until it served again. */
export interface Outage {
  readonly instance: string;
  readonly from: number;
  to?: number;
  /** For a database blip: how many connections the server ended. */
  ended?: number;
}

/** One instance of a service as a child process, which can be killed and started again. */
export interface Instance {
  readonly name: string;
  readonly service: Service;
  readonly url: string;
  readonly up: () => boolean;
  readonly start: () => Promise<void>;
  /** `kill -9`; resolves once the process is gone. */
  readonly kill9: () => Promise<void>;
  readonly stop: () => Promise<void>;
  readonly health: () => Promise<HealthAnswer>;
  readonly output: () => string;
}

const askHealth = async (url: string): Promise<HealthAnswer> => {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json()) as { subscribers?: SubscriberHealth[]; sweeps?: SweepHealth[] };
    return {
      ok: true,
      status: res.status,
      subscribers: body.subscribers ?? [],
      sweeps: body.sweeps ?? [],
    };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
};

const instance = (
  name: string,
  service: Service,
  ports: Ports,
  env: Readonly<Record<string, string>>,
  outages: Outage[],
): Instance => {
  let running: AllInOne | undefined;
  // Output of earlier lives too, for a failure's diagnosis.
  let earlier = "";
  let outage: Outage | undefined;
  return {
    name,
    service,
    url: `http://127.0.0.1:${ports[service]}`,
    up: () => running?.alive() ?? false,
    start: async () => {
      running = await startProcess(service, ports, await withTestKeys(env));
      if (outage !== undefined) outage.to = Date.now();
      outage = undefined;
    },
    kill9: async () => {
      outage = { instance: name, from: Date.now() };
      outages.push(outage);
      await running?.kill("SIGKILL");
      earlier += running?.output() ?? "";
      running = undefined;
    },
    stop: async () => {
      const process = running;
      if (!process?.alive()) return;
      // A process that does not stop in time is not left behind.
      const late = setTimeout(() => void process.kill("SIGKILL"), 10_000);
      await process.kill("SIGTERM");
      clearTimeout(late);
    },
    health: () => askHealth(`http://127.0.0.1:${ports[service]}`),
    output: () => earlier + (running?.output() ?? ""),
  };
};

export interface Cluster {
  readonly catalog: Instance;
  readonly warehouses: readonly [Instance, Instance];
  readonly deliveries: readonly [Instance, Instance];
  readonly site: Instance;
  readonly all: ReadonlyArray<Instance>;
  readonly outages: ReadonlyArray<Outage>;
  readonly stop: () => Promise<void>;
}

export interface ClusterTimings {
  readonly sweepIntervalMs: number;
  readonly orphanGraceMs: number;
  readonly deliveryGraceMs: number;
}

/**
 * The documented distributed mode on one database: events in schema `events`, each service its
 * own state schema (instances of a service share theirs), two warehouses, two deliveries, one site
 * (forwarding to the first warehouse) and one catalog.
 */
export const startCluster = async (
  database: TestDatabase,
  couriers: ReadonlyArray<{
    readonly id: string;
    readonly name: string;
    readonly capacity: number;
  }>,
  timings: ClusterTimings,
): Promise<Cluster> => {
  const outages: Outage[] = [];
  const shared = {
    EVENTSTORE_URL: database.url,
    MEBEL_SCHEMA: "events",
    LOG_LEVEL: "warn",
    MEBEL_SWEEP_INTERVAL_MS: String(timings.sweepIntervalMs),
    MEBEL_ORPHAN_GRACE_MS: String(timings.orphanGraceMs),
    MEBEL_DELIVERY_GRACE_MS: String(timings.deliveryGraceMs),
    MEBEL_COURIERS: JSON.stringify(couriers),
  };
  const [catalogPorts, w1, w2, d1, d2, sitePorts] = await Promise.all(
    [1, 2, 3, 4, 5, 6].map(() => freePorts()),
  );
  const make = (name: string, service: Service, ports: Ports | undefined, env = {}): Instance =>
    instance(
      name,
      service,
      ports as Ports,
      { ...shared, MEBEL_STATE_SCHEMA: service, ...env },
      outages,
    );
  const catalog = make("catalog", "catalog", catalogPorts);
  const upstream = { CATALOG_URL: catalog.url };
  const warehouses = [
    make("warehouse-1", "warehouse", w1, upstream),
    make("warehouse-2", "warehouse", w2, upstream),
  ] as const;
  const deliveries = [
    make("delivery-1", "delivery", d1),
    make("delivery-2", "delivery", d2),
  ] as const;
  const site = make("site", "site", sitePorts, { ...upstream, WAREHOUSE_URL: warehouses[0].url });
  const all = [catalog, ...warehouses, ...deliveries, site];
  const stop = async () => {
    await Promise.allSettled(all.map((i) => i.stop()));
  };
  try {
    // The first of each pair starts alone, so it takes every lock and its twin starts as standby.
    await Promise.all([catalog.start(), warehouses[0].start(), deliveries[0].start()]);
    await Promise.all([warehouses[1].start(), deliveries[1].start(), site.start()]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { catalog, warehouses, deliveries, site, all, outages, stop };
};

/**
 * A database blip: every other connection to the test database is ended by the server, as in a
 * failover or a restart of PostgreSQL. The services must get over it by themselves.
 */
export const blipDatabase = async (url: string): Promise<Outage> => {
  const client = connectPg(url);
  const outage: Outage = { instance: "database", from: Date.now() };
  try {
    const ended = await client.query<{ ended: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    outage.ended = ended[0]?.ended ?? 0;
  } finally {
    await client.close();
  }
  // Pools find their broken connections one request at a time: a while to get over it.
  outage.to = Date.now() + 5_000;
  return outage;
};
