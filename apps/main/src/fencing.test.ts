import {
  connectPg,
  createTestDatabase,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
} from "@mebel/adapter-postgres";
import { warehouseSubscribers } from "@mebel/warehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Acknowledged,
  acknowledged,
  checkEverything,
  request,
  SKUS,
  settled,
  startLoad,
} from "./fault-workload.js";
import {
  type AllInOne,
  eventually,
  freePorts,
  startProcess,
  withTestKeys,
} from "./test-process.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SUBSCRIBERS = warehouseSubscribers.projections.length + warehouseSubscribers.processes.length;

/** A moment one instance began or ended handling a subscriber, from its log lines. */
interface Turn {
  readonly instance: number;
  readonly subscriber: string;
  readonly at: number;
  readonly kind: "leads" | "ends";
}

/** Lines that say an instance stopped handling a subscriber, whatever the runner calls it. */
const ENDS = /lost|retry|stopp|fail|releas|standby|gave up|giving up/i;

const turnsOf = (instance: number, output: string): Turn[] =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      const entry = JSON.parse(line) as { subscriber?: string; msg?: string; time?: string };
      const at = Date.parse(entry.time ?? "");
      if (entry.subscriber === undefined || Number.isNaN(at)) return [];
      const kind =
        entry.msg === "subscriber started"
          ? "leads"
          : ENDS.test(entry.msg ?? "")
            ? "ends"
            : undefined;
      return kind === undefined ? [] : [{ instance, subscriber: entry.subscriber, at, kind }];
    });

/** Periods during which each instance handled each subscriber: [from, to), to open-ended. */
const leaderships = (turns: ReadonlyArray<Turn>) => {
  const periods: Array<{ instance: number; subscriber: string; from: number; to: number }> = [];
  const open = new Map<string, number>();
  for (const turn of [...turns].sort((a, b) => a.at - b.at)) {
    const key = `${turn.instance} ${turn.subscriber}`;
    const from = open.get(key);
    if (turn.kind === "leads" && from === undefined) open.set(key, turn.at);
    if (turn.kind === "ends" && from !== undefined) {
      periods.push({ instance: turn.instance, subscriber: turn.subscriber, from, to: turn.at });
      open.delete(key);
    }
  }
  for (const [key, from] of open) {
    const [instance, subscriber] = key.split(" ") as [string, string];
    periods.push({ instance: Number(instance), subscriber, from, to: Number.POSITIVE_INFINITY });
  }
  return periods;
};

/** Which instance's lock session holds the subscribers' locks now, by its application name. */
const LEADERS = `SELECT a.application_name AS name, count(*)::int AS locks
  FROM pg_locks l JOIN pg_stat_activity a USING (pid)
  WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'mebel-warehouse-%/session'
  GROUP BY a.application_name, a.pid`;

describe("fencing: a leader whose lock session is cut under load", () => {
  let database: TestDatabase;
  const proxies: TcpProxy[] = [];
  const running: AllInOne[] = [];
  const ack: Acknowledged = acknowledged();

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const proxy of proxies) proxy.heal();
    for (const service of running) await service.kill("SIGTERM");
    for (const proxy of proxies) await proxy.close();
    await database?.drop();
  }, 60_000);

  it("never lets two instances handle the same subscriber at the same time", async () => {
    const env = await withTestKeys({
      MEBEL_SCHEMA: "events",
      MEBEL_PG_CONNECT_TIMEOUT_MS: "1000",
      MEBEL_PG_STATEMENT_TIMEOUT_MS: "1500",
      MEBEL_PG_HEARTBEAT_MS: "250",
      MEBEL_SWEEP_INTERVAL_MS: "300",
      MEBEL_ORPHAN_GRACE_MS: "1000",
      LOG_LEVEL: "info",
    });
    const catalogPorts = await freePorts();
    const catalog = await startProcess("catalog", catalogPorts, {
      ...env,
      EVENTSTORE_URL: database.url,
      MEBEL_STATE_SCHEMA: "catalog",
    });
    running.push(catalog);
    const server = new URL(database.url);
    // Each warehouse reaches the database through a proxy of its own, so one can be cut off.
    for (const _ of [1, 2]) {
      proxies.push(
        await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) }),
      );
    }
    const warehouses = await Promise.all(
      proxies.map(async (proxy, i) =>
        startProcess(
          "warehouse",
          { ...(await freePorts()), catalog: catalogPorts.catalog },
          {
            ...env,
            EVENTSTORE_URL: proxy.through(database.url),
            MEBEL_STATE_SCHEMA: "warehouse",
            MEBEL_APPLICATION_NAME: `mebel-warehouse-${i + 1}`,
          },
        ),
      ),
    );
    running.push(...warehouses);
    const urls = warehouses.map((w) => w.warehouse);
    for (const sku of SKUS) {
      expect(
        (await request("POST", `${catalog.catalog}/products`, { sku, name: sku, price: 100 }))
          .status,
      ).toBe(201);
      expect(
        (await request("POST", `${urls[0]}/stock/${sku}/receive`, { quantity: 5_000 })).status,
      ).toBe(200);
    }

    const admin = connectPg(database.url);
    const leaders = () => admin.query<{ name: string; locks: number }>(LEADERS);
    const allTaken = (rows: ReadonlyArray<{ locks: number }>) =>
      rows.reduce((sum, row) => sum + row.locks, 0) >= SUBSCRIBERS;
    try {
      const load = startLoad(urls, ack);
      for (const cut of ["terminate", "blackhole", "terminate", "blackhole"] as const) {
        await sleep(700);
        const holders = await eventually(leaders, allTaken, "every lock held");
        const leader = holders[0] as { name: string };
        if (cut === "terminate") {
          // On the server: the leader's lock session ends, its locks with it.
          await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            [leader.name],
          );
        } else {
          // On the network: the leader hears nothing; the server frees its locks once the silent
          // session times out, and the other instance takes them over.
          const proxy = proxies[Number(leader.name.match(/-(\d)\//)?.[1]) - 1] as TcpProxy;
          proxy.blackhole();
          await eventually(
            leaders,
            (rows) => allTaken(rows) && rows.every((row) => row.name !== leader.name),
            "the other instance holding every lock",
          );
          proxy.heal();
        }
        await eventually(leaders, allTaken, "every lock taken again");
      }
      await load.stop();
    } finally {
      await admin.close();
    }
    await Promise.all(urls.map((url, i) => settled(url, `warehouse ${i + 1}`, true)));

    const periods = leaderships(warehouses.flatMap((w, i) => turnsOf(i + 1, w.output())));
    const overlaps = periods.flatMap((a) =>
      periods
        .filter(
          (b) =>
            a.subscriber === b.subscriber &&
            a.instance < b.instance &&
            a.from < b.to &&
            b.from < a.to,
        )
        .map((b) => ({ subscriber: a.subscriber, a, b })),
    );
    expect(overlaps).toEqual([]);
    // Leadership did change hands between the instances: the cuts were felt.
    expect(new Set(periods.map((p) => p.instance)).size).toBe(2);
    // No delivery service runs here: assembled orders wait for one.
    await checkEverything(
      database.url,
      ack,
      { warehouse: warehouseSubscribers.projections },
      () => Promise.all(urls.map((url, i) => settled(url, `warehouse ${i + 1}`, true))),
      { deliveries: false },
    );
  }, 100_000);
});
