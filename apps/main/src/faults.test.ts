import {
  connectPg,
  createTestDatabase,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
} from "@mebel/adapter-postgres";
import { deliverySubscribers } from "@mebel/delivery";
import { demoCouriers } from "@mebel/demo/demo-data";
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

/**
 * Catalog, warehouse and delivery as separate processes on a private database, every connection
 * through a TCP proxy that the test cuts, black-holes and slows down; and, on the server, every
 * session of theirs terminated. After each fault, without a restart by hand, everything comes
 * back, and in the end nothing acknowledged is lost and nothing applied twice.
 */
describe("faults between the services and PostgreSQL", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  const running: AllInOne[] = [];
  let warehouse: AllInOne;
  let delivery: AllInOne;
  const ack: Acknowledged = acknowledged();

  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(database.url);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    const ports = await freePorts();
    const env = {
      EVENTSTORE_URL: proxy.through(database.url),
      MEBEL_SCHEMA: "events",
      MEBEL_PG_CONNECT_TIMEOUT_MS: "1000",
      MEBEL_PG_STATEMENT_TIMEOUT_MS: "1500",
      MEBEL_PG_HEARTBEAT_MS: "250",
      MEBEL_SWEEP_INTERVAL_MS: "300",
      MEBEL_ORPHAN_GRACE_MS: "1000",
      MEBEL_DELIVERY_GRACE_MS: "2000",
    };
    const start = async (service: "catalog" | "warehouse" | "delivery") =>
      startProcess(service, ports, await withTestKeys({ ...env, MEBEL_STATE_SCHEMA: service }));
    const catalog = await start("catalog");
    running.push(catalog);
    [warehouse, delivery] = await Promise.all([start("warehouse"), start("delivery")]);
    running.push(warehouse, delivery);
    for (const sku of SKUS) {
      const product = await request("POST", `${catalog.catalog}/products`, {
        sku,
        name: sku,
        price: 10_000,
      });
      expect(product.status).toBe(201);
      const receipt = await request("POST", `${warehouse.warehouse}/stock/${sku}/receive`, {
        quantity: 5_000,
      });
      expect(receipt.status).toBe(200);
    }
  }, 60_000);

  afterAll(async () => {
    proxy?.heal();
    for (const service of running) await service.kill("SIGTERM");
    await proxy?.close();
    await database?.drop();
  }, 60_000);

  /** A fault under load: inject, watch, heal; then the services must come back by themselves. */
  const underLoad = async (inject: () => Promise<void>): Promise<void> => {
    const load = startLoad([warehouse.warehouse], ack);
    await sleep(500);
    await inject();
    await load.stop();
    await Promise.all([
      settled(warehouse.warehouse, "warehouse"),
      settled(delivery.delivery, "delivery"),
    ]);
    // HTTP is back to 2xx: a whole journey goes through.
    const before = ack.assembled.length;
    const again = startLoad([warehouse.warehouse], ack, 1);
    await eventually(
      async () => ack.assembled.length,
      (n) => n > before,
      "a journey after the fault",
    );
    await again.stop();
  };

  /** While the database cannot be reached, a route that needs it answers 503 with Retry-After. */
  const expectUnavailable = async (): Promise<void> => {
    const answer = await eventually(
      () => request("GET", `${warehouse.warehouse}/orders/${ack.orders[0] ?? "none"}`),
      (r) => r.status === 503,
      "the warehouse answering 503",
    );
    expect(answer.body.code).toBe("STORE_UNAVAILABLE");
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  };

  /** A retrying subscriber says so on /health, with its last error and next attempt. */
  const expectRetrying = async (service: string): Promise<void> => {
    const health = await eventually(
      () => request("GET", `${service}/health`),
      (r) => r.body?.subscribers?.some((s: { state: string }) => s.state === "retrying"),
      "a subscriber retrying",
    );
    const retrying = health.body.subscribers.find((s: { state: string }) => s.state === "retrying");
    expect(retrying.retry).toMatchObject({
      attempt: expect.any(Number),
      nextAttemptAt: expect.any(String),
      lastError: expect.any(String),
    });
  };

  it("comes back after every connection is cut and refused for a while", async () => {
    await underLoad(async () => {
      proxy.cut({ refuse: true });
      await expectUnavailable();
      await expectRetrying(warehouse.warehouse);
      await sleep(1_000);
      proxy.heal();
    });
  }, 60_000);

  it("comes back after the network black-holes every byte for longer than the timeouts", async () => {
    await underLoad(async () => {
      proxy.blackhole();
      await expectUnavailable();
      await expectRetrying(warehouse.warehouse);
      // Longer than the connect (1 s), statement (1.5 s) and heartbeat timeouts together.
      await sleep(3_000);
      proxy.heal();
    });
  }, 60_000);

  it("keeps serving through added latency", async () => {
    await underLoad(async () => {
      proxy.delay(150);
      await sleep(2_000);
      proxy.delay(0);
    });
  }, 60_000);

  it("comes back after the server terminates every session of the services", async () => {
    const admin = connectPg(database.url);
    try {
      await underLoad(async () => {
        // In the select list, so only the rows the WHERE keeps are terminated.
        const terminated = await admin.query<{ terminated: boolean }>(
          `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND application_name LIKE 'mebel-%'`,
        );
        // Pools, listeners and lock sessions of three services.
        expect(terminated.length).toBeGreaterThanOrEqual(5);
        await sleep(1_000);
      });
    } finally {
      await admin.close();
    }
  }, 60_000);

  it("lost nothing acknowledged, applied nothing twice, and every view equals its replay", async () => {
    // No request hung and none answered 500: every failure was a 503 or a dropped connection.
    expect(ack.statuses.has(-1)).toBe(false);
    expect([...ack.statuses.keys()].filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(ack.assembled.length).toBeGreaterThan(0);
    await checkEverything(
      database.url,
      ack,
      {
        warehouse: warehouseSubscribers.projections,
        delivery: deliverySubscribers(demoCouriers).projections,
      },
      () =>
        Promise.all([
          settled(warehouse.warehouse, "warehouse"),
          settled(delivery.delivery, "delivery"),
        ]),
    );
  }, 60_000);
});
