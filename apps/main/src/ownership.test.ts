import { CourierId, OrderId, orderStream, Quantity, Sku, unsafeDecode } from "@mebel/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApps, type TestApps } from "./test-apps.js";
import { call } from "./test-process.js";

let world: TestApps;
let a: Record<string, string>;
let b: Record<string, string>;
beforeAll(async () => {
  world = await startTestApps();
  a = await world.issuer.bearer("cust-a", ["customer"]);
  b = await world.issuer.bearer("cust-b", ["customer"]);
  await world.bus.stockItem(
    {
      type: "ReceiveStock",
      sku: unsafeDecode(Sku)("SOFA-OSLO-3"),
      quantity: unsafeDecode(Quantity)(10),
    },
    context,
  )();
});
afterAll(() => world?.close());

const context = { correlationId: "test", causationId: "test" };

describe("a customer's things are theirs alone", () => {
  it("refuses customer B on A's order, feed, notifications, item removal and cancel, and A's stream is unchanged", async () => {
    const site = world.urls.site;
    const created = await call("POST", `${site}/customers/cust-a/orders`, {}, a);
    expect(created.status).toBe(201);
    const orderId: string = created.body.orderId;
    const added = await call(
      "POST",
      `${site}/customers/cust-a/orders/${orderId}/items`,
      { sku: "SOFA-OSLO-3", quantity: 1 },
      a,
    );
    expect(added.status).toBe(201);
    const lineId: string = added.body.lineId;
    const stream = orderStream(unsafeDecode(OrderId)(orderId));
    const before = (await world.store.readStream(stream)).length;

    // Under A's path with B's token: not B's to ask about.
    for (const [method, path] of [
      ["GET", `/customers/cust-a/orders`],
      ["GET", `/customers/cust-a/orders/${orderId}`],
      ["GET", `/customers/cust-a/notifications`],
      ["GET", `/customers/cust-a/events`],
      ["DELETE", `/customers/cust-a/orders/${orderId}/items/${lineId}`],
      ["POST", `/customers/cust-a/orders/${orderId}/cancel`],
    ] as const) {
      const res = await call(
        method,
        `${site}${path}`,
        method === "POST" ? { reason: "x" } : undefined,
        b,
      );
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    // Under B's own path, or at the warehouse directly: the order does not exist for B.
    for (const [method, url] of [
      ["GET", `${site}/customers/cust-b/orders/${orderId}`],
      ["DELETE", `${site}/customers/cust-b/orders/${orderId}/items/${lineId}`],
      ["POST", `${site}/customers/cust-b/orders/${orderId}/cancel`],
      ["POST", `${site}/customers/cust-b/orders/${orderId}/items`],
      ["GET", `${world.urls.warehouse}/orders/${orderId}`],
      ["POST", `${world.urls.warehouse}/orders/${orderId}/cancel`],
      ["DELETE", `${world.urls.warehouse}/orders/${orderId}/items/${lineId}`],
    ] as const) {
      const body =
        method !== "POST"
          ? undefined
          : url.endsWith("/items")
            ? { sku: "SOFA-OSLO-3", quantity: 1 }
            : { reason: "x" };
      const res = await call(method, url, body, b);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body.code).toBe("ORDER_NOT_FOUND");
    }
    // Nor may B open an order in A's name.
    const forged = await call(
      "POST",
      `${world.urls.warehouse}/orders`,
      { customerId: "cust-a" },
      b,
    );
    expect(forged.status).toBe(403);

    expect((await world.store.readStream(stream)).length).toBe(before);
    expect(
      (await call("GET", `${world.urls.warehouse}/orders/${orderId}`, undefined, a)).status,
    ).toBe(200);
  });

  it("records who acted, and in which role, in the metadata of every event a request causes", async () => {
    const created = await call("POST", `${world.urls.site}/customers/cust-a/orders`, {}, a);
    const stream = orderStream(unsafeDecode(OrderId)(created.body.orderId));
    const [event] = await world.store.readStream(stream);
    expect(event?.metadata).toMatchObject({ actor: "cust-a", actorRole: "customer" });
  });
});

describe("a courier's deliveries are theirs alone", () => {
  it("refuses courier A on courier B's delivery, and lets B see and complete it", async () => {
    const orderId = unsafeDecode(OrderId)(`order-${Date.now()}`);
    for (const command of [
      { type: "RequestDelivery" as const, orderId },
      { type: "AssignCourier" as const, orderId, courierId: unsafeDecode(CourierId)("boris") },
    ]) {
      await world.bus.delivery(command, context)();
    }
    const anna = await world.issuer.bearer("anna-account", ["courier"], "anna");
    const boris = await world.issuer.bearer("boris-account", ["courier"], "boris");
    const delivery = `${world.urls.delivery}/deliveries/${orderId}`;
    expect((await call("GET", delivery, undefined, anna)).status).toBe(404);
    expect((await call("POST", `${delivery}/complete`, undefined, anna)).status).toBe(404);
    expect((await call("POST", `${delivery}/fail`, { reason: "not mine" }, anna)).status).toBe(404);
    expect((await call("GET", delivery, undefined, boris)).body.status).toBe("assigned");
    // A courier token without a courier behind it reaches no delivery at all.
    const nobody = await world.issuer.bearer("nobody", ["courier"]);
    expect((await call("GET", delivery, undefined, nobody)).status).toBe(404);
  });
});
