import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { overEventStoreDbClient } from "@mebel/adapter-eventstoredb";
import { createFakeClient } from "@mebel/adapter-eventstoredb/testing";
import { createTokenSigner } from "@mebel/adapter-http";
import { createTestDatabase, type TestDatabase } from "@mebel/adapter-postgres";
import { Product, type ProductRepository, unsafeDecode } from "@mebel/core";
import { demoCouriers } from "@mebel/demo/demo-data";
import {
  DEFAULT_AUDIENCE,
  EMBEDDED_ISSUER,
  type InfrastructureOptions,
  loadOrCreateSigningKey,
  readAuthSettings,
  readSettings,
} from "@mebel/runtime";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, describe, expect, it } from "vitest";
import { prepare } from "./prepare.js";
import { type RunningService, startAllServices } from "./services.js";
import { call as callAs, eventually } from "./test-process.js";
import { initialiseCluster } from "./test-support/data-dir.js";

/**
 * Every mode the settings allow, each run as an operator would: one instance writes, a second
 * instance (its own stores, its own cold cache) reads and writes the same aggregates, the first
 * restarts and finds everything, and a whole order goes to the door. A cache that remembers what
 * its own process wrote cannot pass this; only loading from the event store can.
 */
interface Mode {
  readonly name: string;
  /** Several instances at once: a store only one process can open runs one at a time. */
  readonly shared: boolean;
  readonly env: () => Promise<Record<string, string>>;
  readonly options?: InfrastructureOptions;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// Every instance signs and verifies with one key pair, as the site and the services would.
const keys = mkdtempSync(join(tmpdir(), "mebel-modes-keys-"));
cleanups.push(() => rmSync(keys, { recursive: true, force: true }));
const keyFile = join(keys, "signing-key.json");
const admin = (async () => {
  const key = await loadOrCreateSigningKey(keyFile);
  const sign = createTokenSigner({
    privateKey: key.privateKey,
    kid: key.kid,
    issuer: EMBEDDED_ISSUER,
    audience: DEFAULT_AUDIENCE,
    ttlSeconds: 600,
  });
  return {
    authorization: `Bearer ${await sign({ sub: "modes-admin" as never, roles: ["admin"] })}`,
  };
})();
const call = async (method: string, url: string, body?: unknown) =>
  callAs(method, url, body, await admin);

const database = async (): Promise<TestDatabase> => {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
};

// One stand-in server for every instance of the EventStoreDB mode, as one cluster would be.
const standIn = createFakeClient();
const noop = async (): Promise<void> => {};

const modes: ReadonlyArray<Mode> = [
  {
    name: "embedded PGlite",
    shared: false,
    env: async () => {
      const dir = await initialiseCluster(mkdtempSync(join(tmpdir(), "mebel-modes-")));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return { MEBEL_DATA_DIR: dir };
    },
  },
  {
    name: "PostgreSQL, events and state in one schema",
    shared: true,
    env: async () => ({ EVENTSTORE_URL: (await database()).url, MEBEL_SCHEMA: "shop" }),
  },
  {
    name: "PostgreSQL, events and state in separate schemas",
    shared: true,
    env: async () => ({
      EVENTSTORE_URL: (await database()).url,
      MEBEL_SCHEMA: "events",
      MEBEL_STATE_SCHEMA: "warehouse",
    }),
  },
  {
    name: "PostgreSQL, events and state in separate databases",
    shared: true,
    env: async () => ({
      EVENTSTORE_URL: (await database()).url,
      DATABASE_URL: (await database()).url,
      MEBEL_SCHEMA: "events",
      MEBEL_STATE_SCHEMA: "warehouse",
    }),
  },
  {
    name: "EventStoreDB (the adapter's stand-in) with PostgreSQL state",
    shared: true,
    env: async () => ({
      EVENTSTORE_URL: "esdb://stand-in:2113?tls=false",
      DATABASE_URL: (await database()).url,
      MEBEL_STATE_SCHEMA: "warehouse",
    }),
    // The stand-in outlives each instance's connection, as a server would.
    options: {
      connectEventStoreDb: () =>
        overEventStoreDbClient(Object.assign(Object.create(standIn.client), { dispose: noop })),
    },
  },
];

interface Instance {
  readonly site: string;
  readonly warehouse: string;
  readonly delivery: string;
  readonly products: ProductRepository;
  readonly stop: () => Promise<void>;
}

const startInstance = async (mode: Mode, env: Record<string, string>): Promise<Instance> => {
  const settings = readSettings({
    ...env,
    LOG_LEVEL: process.env.MODES_LOG ?? "silent",
    SITE_PORT: "0",
    CATALOG_PORT: "0",
    WAREHOUSE_PORT: "0",
    DELIVERY_PORT: "0",
    MEBEL_SWEEP_INTERVAL_MS: "200",
  });
  if (E.isLeft(settings)) throw new Error(settings.left.join("; "));
  const auth = readAuthSettings(
    { MEBEL_AUTH_KEY_FILE: keyFile },
    { ...settings.right, dataDir: keys },
  );
  if (E.isLeft(auth)) throw new Error(auth.left.join("; "));
  const shared = await prepare(settings.right, auth.right, true, mode.options);
  const services = await startAllServices(shared, demoCouriers);
  const url = (name: string) =>
    (services.find((s) => s.name === name) as RunningService | undefined)?.url ?? "";
  return {
    site: url("site"),
    warehouse: url("warehouse"),
    delivery: url("delivery"),
    products: shared.infra.products,
    stop: async () => {
      for (const service of services) await service.stop();
      await shared.infra.close();
    },
  };
};

const product = (sku: string): Product =>
  unsafeDecode(Product)({ sku, name: `Test ${sku}`, price: 12_000 });

describe.each(modes)("in mode: $name", (mode) => {
  it("finds every order and stock level from a second instance and after a restart, and delivers", async () => {
    const env = await mode.env();
    const sku = `DESK-${randomUUID().slice(0, 6).toUpperCase()}`;
    let first = await startInstance(mode, env);
    cleanups.push(() => first.stop());
    await first.products.create(product(sku));
    const created = await call("POST", `${first.warehouse}/orders`, { customerId: "vera" });
    expect(created.status).toBe(201);
    const orderId: string = created.body.orderId;
    const order = (instance: Instance) => `${instance.warehouse}/orders/${orderId}`;
    expect(
      (await call("POST", `${first.warehouse}/stock/${sku}/receive`, { quantity: 5 })).status,
    ).toBe(200);
    expect((await call("POST", `${order(first)}/items`, { sku, quantity: 1 })).status).toBe(201);

    if (mode.shared) {
      // A second instance, its cache cold: it must find what the first wrote, and write on it.
      const second = await startInstance(mode, env);
      cleanups.push(() => second.stop());
      const seen = await call("GET", order(second));
      expect(seen.status).toBe(200);
      expect(seen.body.lines).toHaveLength(1);
      expect((await call("GET", `${second.warehouse}/stock/${sku}`)).body).toMatchObject({
        onHand: 5,
        reserved: 1,
      });
      expect((await call("POST", `${order(second)}/items`, { sku, quantity: 1 })).status).toBe(201);
      // And the first, whose cache is now behind the stream, sees the second's line.
      expect((await call("GET", order(first))).body.lines).toHaveLength(2);
      await second.stop();
    }

    await first.stop();
    first = await startInstance(mode, env);
    const lines = mode.shared ? 2 : 1;
    const restarted = await call("GET", order(first));
    expect(restarted.status).toBe(200);
    expect(restarted.body.lines).toHaveLength(lines);
    expect((await call("GET", `${first.warehouse}/stock/${sku}`)).body).toMatchObject({
      onHand: 5,
      reserved: lines,
    });

    // The rest of the journey on the restarted instance, its process managers included.
    expect(
      (await call("POST", `${order(first)}/place`, { deliveryAddress: "Liteyny 10" })).status,
    ).toBe(200);
    expect((await call("POST", `${order(first)}/start-processing`)).status).toBe(200);
    expect((await call("POST", `${order(first)}/mark-assembled`)).status).toBe(200);
    const assigned = await eventually(
      () => call("GET", `${first.delivery}/deliveries/${orderId}`),
      (r) => r.body?.status === "assigned",
      "a courier for the assembled order",
    );
    expect(
      (
        await call("POST", `${order(first)}/hand-to-courier`, {
          courierId: assigned.body.courierId,
        })
      ).status,
    ).toBe(200);
    await eventually(
      () => call("GET", `${first.warehouse}/stock/${sku}`),
      (r) => r.body?.onHand === 5 - lines && r.body?.reserved === 0,
      "the handed-over units leaving the stock",
    );
    await eventually(
      () => call("GET", `${first.delivery}/deliveries/${orderId}`),
      (r) => r.body?.status === "picked_up",
      "the delivery picked up",
    );
    await eventually(
      () => call("GET", `${first.site}/customers/vera/orders/${orderId}`),
      (r) => r.body?.status === "out_for_delivery",
      "the site's view of the order",
    );
    // A journey through five services and two restarts: on a loaded machine it takes a while.
  }, 120_000);
});
