import { beforeAll, describe, expect, it } from "vitest";
import { asOrderId, context, useSiteFixture } from "./test-support/site-fixture.js";

const shop = useSiteFixture();
let orderId: string;
beforeAll(async () => {
  await shop().receiveStock("LAMP-ARC", 10);
  orderId = await shop().createOrder("olga");
  await shop().request("POST", `/customers/olga/orders/${orderId}/items`, {
    sku: "LAMP-ARC",
    quantity: 2,
  });
  await shop().request("POST", `/customers/olga/orders/${orderId}/place`, {
    deliveryAddress: { street: "Main street 1", city: "Oslo", postalCode: "0150", country: "NO" },
  });
  await shop().settle();
});

describe("a customer's orders and notifications", () => {
  it("lists the customer's orders with status, lines, total and timeline", async () => {
    const answer = await shop().request("GET", "/customers/olga/orders");
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveLength(1);
    const [order] = answer.body;
    expect(order).toMatchObject({
      orderId,
      customerId: "olga",
      status: "placed",
      total: 25_800,
      deliveryAddress: {
        street: "Main street 1",
        city: "Oslo",
        postalCode: "0150",
        country: "NO",
        line: null,
      },
      lines: [{ sku: "LAMP-ARC", quantity: 2, unitPrice: 12_900 }],
    });
    expect(order.timeline.map((e: { type: string }) => e.type)).toEqual([
      "OrderCreated",
      "OrderItemAdded",
      "OrderPlaced",
    ]);
    expect(order).not.toHaveProperty("revisions");
  });

  it("shows one order to its customer and to no one else", async () => {
    const mine = await shop().request("GET", `/customers/olga/orders/${orderId}`);
    expect(mine.status).toBe(200);
    expect(mine.body.orderId).toBe(orderId);
    for (const path of [`/customers/boris/orders/${orderId}`, "/customers/olga/orders/nope"]) {
      const refused = await shop().request("GET", path);
      expect(refused.status).toBe(404);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(refused.body.code).toBe("ORDER_NOT_FOUND");
    }
    expect((await shop().request("GET", "/customers/boris/orders")).body).toEqual([]);
  });

  it("updates the order view and the notifications as events are appended", async () => {
    const before = await shop().request("GET", "/customers/olga/notifications");
    expect(before.body.map((n: { kind: string }) => n.kind)).toEqual(["placed"]);

    for (const type of ["StartProcessing", "MarkAssembled"] as const) {
      await shop().bus.order({ type, orderId: asOrderId(orderId) }, context)();
    }
    await shop().settle();

    const order = await shop().request("GET", `/customers/olga/orders/${orderId}`);
    expect(order.body.status).toBe("assembled");
    expect(order.body.timeline.map((e: { type: string }) => e.type).slice(-2)).toEqual([
      "OrderProcessingStarted",
      "OrderAssembled",
    ]);
    const after = await shop().request("GET", "/customers/olga/notifications");
    expect(after.body.map((n: { kind: string }) => n.kind)).toEqual([
      "assembled",
      "processing",
      "placed",
    ]);
    expect(after.body[0]).toMatchObject({ orderId, message: expect.any(String) });
    expect((await shop().request("GET", "/customers/boris/notifications")).body).toEqual([]);
  });

  it("pages a customer's orders newest first, each page linking to the next", async () => {
    const created = [];
    for (let i = 0; i < 3; i += 1) created.push(await shop().createOrder("ivan"));
    await shop().settle();
    const whole = await shop().request("GET", "/customers/ivan/orders");
    const ids = whole.body.map((o: { orderId: string }) => o.orderId);
    expect([...ids].sort()).toEqual([...created].sort());
    const instants = whole.body.map((o: { createdAt: string }) => o.createdAt);
    expect(instants).toEqual([...instants].sort().reverse());

    const walked: string[] = [];
    let path: string | undefined = "/customers/ivan/orders?limit=2";
    while (path !== undefined) {
      const page = await shop().request("GET", path);
      expect(page.status).toBe(200);
      walked.push(...page.body.map((o: { orderId: string }) => o.orderId));
      path = /^<([^>]+)>; rel="next"$/.exec(page.headers.get("link") ?? "")?.[1];
    }
    expect(walked).toEqual(ids);

    const forged = await shop().request("GET", "/customers/ivan/orders?cursor=W10");
    expect(forged.status).toBe(400);
  });

  it("pages a customer's notifications, the orders told about most recently first", async () => {
    // Given three orders of Petr's, placed one after another
    const placed: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const id = await shop().createOrder("petr");
      await shop().request("POST", `/customers/petr/orders/${id}/items`, {
        sku: "LAMP-ARC",
        quantity: 1,
      });
      await shop().request("POST", `/customers/petr/orders/${id}/place`, {
        deliveryAddress: {
          street: "Main street 2",
          city: "Oslo",
          postalCode: "0150",
          country: "NO",
        },
      });
      placed.push(id);
    }
    await shop().settle();
    // When he reads his notifications one order at a time, following the links
    const walked: string[] = [];
    let path: string | undefined = "/customers/petr/notifications?limit=1";
    while (path !== undefined) {
      const page = await shop().request("GET", path);
      expect(page.status).toBe(200);
      expect(page.body).toHaveLength(1);
      walked.push(...page.body.map((n: { orderId: string }) => n.orderId));
      path = /^<([^>]+)>; rel="next"$/.exec(page.headers.get("link") ?? "")?.[1];
    }
    // Then he has seen each order's "placed", the latest first, and the whole list says the same
    expect(walked).toEqual([...placed].reverse());
    const whole = await shop().request("GET", "/customers/petr/notifications");
    expect(whole.body.map((n: { orderId: string }) => n.orderId)).toEqual(walked);
    const forged = await shop().request("GET", "/customers/petr/notifications?cursor=W10");
    expect(forged.status).toBe(400);
  });
});
