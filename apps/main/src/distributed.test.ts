import { connectPg, createTestDatabase, type TestDatabase } from "@mebel/adapter-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AllInOne, call, eventually, freePorts, startProcess } from "./test-process.js";

describe("distributed: each service its own process, events and state on a PostgreSQL server", () => {
  let database: TestDatabase;
  const running: AllInOne[] = [];
  afterAll(async () => {
    for (const service of running) await service.kill("SIGTERM");
    await database?.drop();
  });
  beforeAll(async () => {
    database = await createTestDatabase();
  });

  it("carries an order from the site through the warehouse to a courier", async () => {
    const ports = await freePorts();
    const shared = { EVENTSTORE_URL: database.url, MEBEL_SCHEMA: "events", LOG_LEVEL: "warn" };
    const start = (service: "catalog" | "warehouse" | "delivery" | "site") =>
      startProcess(service, ports, { ...shared, MEBEL_STATE_SCHEMA: service });
    const services = await Promise.all([
      start("catalog"),
      start("warehouse"),
      start("delivery"),
      start("site"),
    ]);
    running.push(...services);
    const [catalog, warehouse, delivery, site] = services as [
      AllInOne,
      AllInOne,
      AllInOne,
      AllInOne,
    ];

    expect(
      (
        await call("POST", `${catalog.catalog}/products`, {
          sku: "DESK-OAK",
          name: "Oak desk",
          price: 42_000,
        })
      ).status,
    ).toBe(201);
    expect(
      (await call("POST", `${warehouse.warehouse}/stock/DESK-OAK/receive`, { quantity: 2 })).status,
    ).toBe(200);
    const order = await call("POST", `${site.site}/customers/vera/orders`, {});
    expect(order.status).toBe(201);
    const orderUrl = `${site.site}/customers/vera/orders/${order.body.orderId}`;
    // The warehouse reads the price from the catalog service, over HTTP, at this moment.
    const added = await call("POST", `${orderUrl}/items`, { sku: "DESK-OAK", quantity: 1 });
    expect(added.status).toBe(201);
    expect(added.body.order.lines[0].unitPrice).toBe(42_000);
    expect(
      (await call("POST", `${orderUrl}/place`, { deliveryAddress: "Liteyny 10" })).status,
    ).toBe(200);
    const warehouseOrder = `${warehouse.warehouse}/orders/${order.body.orderId}`;
    expect((await call("POST", `${warehouseOrder}/start-processing`)).status).toBe(200);
    expect((await call("POST", `${warehouseOrder}/mark-assembled`)).status).toBe(200);

    await eventually(
      () => call("GET", `${delivery.delivery}/deliveries/${order.body.orderId}`),
      (r) => r.body?.status === "assigned",
      "the delivery service reacting to the warehouse's event",
    );
    await eventually(
      () => call("GET", orderUrl),
      (r) => r.body?.status === "courier_assigned",
      "the site's own view",
    );
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
