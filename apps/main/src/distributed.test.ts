import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  connectPg,
  createPostgresStores,
  createTestDatabase,
  type TestDatabase,
} from "@mebel/adapter-postgres";
import { Email, unsafeDecode } from "@mebel/core";
import { addAccount } from "@mebel/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AllInOne,
  call,
  DEMO_PASSWORD,
  eventually,
  freePorts,
  signIn,
  signUp,
  startProcess,
} from "./test-process.js";

describe("distributed: each service its own process, events and state on a PostgreSQL server", () => {
  let database: TestDatabase;
  const running: AllInOne[] = [];
  const keys = mkdtempSync(join(tmpdir(), "mebel-site-key-"));
  afterAll(async () => {
    for (const service of running) await service.kill("SIGTERM");
    await database?.drop();
    rmSync(keys, { recursive: true, force: true });
  });
  beforeAll(async () => {
    database = await createTestDatabase();
  });

  it("carries an order from the site through the warehouse to a courier", async () => {
    const ports = await freePorts();
    const shared = { EVENTSTORE_URL: database.url, MEBEL_SCHEMA: "events", LOG_LEVEL: "warn" };
    // Only the site holds the signing key; the others fetch its JWKS from SITE_URL's default.
    const start = (service: "catalog" | "warehouse" | "delivery" | "site") =>
      startProcess(service, ports, {
        ...shared,
        MEBEL_STATE_SCHEMA: service,
        MEBEL_DATA_DIR: keys,
      });
    // The site alone finds the others by their URLs only: its own idea of their ports is wrong.
    const nowhere = await freePorts();
    const services = await Promise.all([
      start("catalog"),
      start("warehouse"),
      start("delivery"),
      startProcess("site", ports, {
        ...shared,
        MEBEL_STATE_SCHEMA: "site",
        MEBEL_DATA_DIR: keys,
        CATALOG_PORT: String(nowhere.catalog),
        WAREHOUSE_PORT: String(nowhere.warehouse),
        DELIVERY_PORT: String(nowhere.delivery),
        CATALOG_URL: `http://127.0.0.1:${ports.catalog}`,
        WAREHOUSE_URL: `http://127.0.0.1:${ports.warehouse}`,
        DELIVERY_URL: `http://127.0.0.1:${ports.delivery}`,
      }),
    ]);
    running.push(...services);
    const [catalog, warehouse, delivery, site] = services as [
      AllInOne,
      AllInOne,
      AllInOne,
      AllInOne,
    ];

    // No demo accounts in distributed mode: staff are added to the site's store, as the CLI does.
    const stores = await createPostgresStores({ client: connectPg(database.url), schema: "site" });
    await addAccount(stores.accounts, {
      email: unsafeDecode(Email)("ops@example.com"),
      name: "Ops",
      roles: ["catalog", "warehouse", "dispatcher"],
      password: DEMO_PASSWORD,
    });
    await stores.close();
    const ops = await signIn(site.site, "ops@example.com");
    const vera = await signUp(site.site, "Vera");

    expect(
      (
        await call(
          "POST",
          `${catalog.catalog}/products`,
          { sku: "DESK-OAK", name: "Oak desk", price: 42_000 },
          ops,
        )
      ).status,
    ).toBe(201);
    expect(
      (await call("POST", `${warehouse.warehouse}/stock/DESK-OAK/receive`, { quantity: 2 }, ops))
        .status,
    ).toBe(200);
    const order = await call("POST", `${site.site}/customers/${vera.id}/orders`, {}, vera.headers);
    expect(order.status).toBe(201);
    const orderUrl = `${site.site}/customers/${vera.id}/orders/${order.body.orderId}`;
    // The warehouse reads the price from the catalog service, over HTTP, at this moment; it
    // checks the customer's own token, which the site passed on.
    const added = await call(
      "POST",
      `${orderUrl}/items`,
      { sku: "DESK-OAK", quantity: 1 },
      vera.headers,
    );
    expect(added.status).toBe(201);
    expect(added.body.order.lines[0].unitPrice).toBe(42_000);
    expect(
      (await call("POST", `${orderUrl}/place`, { deliveryAddress: "Liteyny 10" }, vera.headers))
        .status,
    ).toBe(200);
    const warehouseOrder = `${warehouse.warehouse}/orders/${order.body.orderId}`;
    expect((await call("POST", `${warehouseOrder}/start-processing`, undefined, ops)).status).toBe(
      200,
    );
    expect((await call("POST", `${warehouseOrder}/mark-assembled`, undefined, ops)).status).toBe(
      200,
    );

    await eventually(
      () => call("GET", `${delivery.delivery}/deliveries/${order.body.orderId}`, undefined, ops),
      (r) => r.body?.status === "assigned",
      "the delivery service reacting to the warehouse's event",
    );
    await eventually(
      () => call("GET", orderUrl, undefined, vera.headers),
      (r) => r.body?.status === "courier_assigned",
      "the site's own view",
    );
    // The browser app's pass-through reaches each service by its URL, with the caller's token.
    const through = (path: string) => call("GET", `${site.site}/api${path}`, undefined, ops);
    expect((await through(`/delivery/deliveries/${order.body.orderId}`)).body).toMatchObject({
      status: "assigned",
    });
    expect((await through(`/warehouse/orders/${order.body.orderId}`)).body).toMatchObject({
      status: "assembled",
    });
    expect((await through("/catalog/products/DESK-OAK")).body).toMatchObject({ price: 42_000 });
    // Each service keeps its read models in its own schema.
    const client = connectPg(database.url);
    const schemas = await client.query<{ schema_name: string }>(
      "SELECT schema_name FROM information_schema.schemata WHERE schema_name = ANY($1) ORDER BY 1",
      [["catalog", "delivery", "events", "site", "warehouse"]],
    );
    await client.close();
    expect(schemas.map((r) => r.schema_name)).toEqual([
      "catalog",
      "delivery",
      "events",
      "site",
      "warehouse",
    ]);
  }, 120_000);
});
