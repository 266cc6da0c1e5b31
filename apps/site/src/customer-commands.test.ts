import { CustomerId, unsafeDecode } from "@mebel/core";
import { beforeAll, describe, expect, it } from "vitest";
import { asOrderId, context, useSiteFixture } from "./test-support/site-fixture.js";

const shop = useSiteFixture();
beforeAll(async () => {
  await shop().receiveStock("SOFA-OSLO-3", 3);
});
const sentSince = (count: number) => shop().warehouse.received.slice(count);

describe("customer commands forwarded to the warehouse", () => {
  it("creates an order for the customer, passing on the Idempotency-Key and correlation id", async () => {
    const before = shop().warehouse.received.length;
    const headers = { "idempotency-key": "create-olga-1", "x-correlation-id": "corr-1" };
    const first = await shop().request("POST", "/customers/olga/orders", undefined, headers);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ customerId: "olga", status: "draft" });
    expect(first.headers.get("etag")).toBe('"0"');
    expect(first.headers.get("location")).toBe(`/customers/olga/orders/${first.body.orderId}`);
    expect(first.headers.get("x-correlation-id")).toBe("corr-1");
    expect(sentSince(before)).toEqual([
      {
        method: "POST",
        path: "/orders",
        headers: { ...headers, "if-match": undefined },
        body: { customerId: "olga" },
      },
    ]);

    const again = await shop().request("POST", "/customers/olga/orders", undefined, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
  });

  it("relays the warehouse's answers as they are: success, refusal and stale If-Match", async () => {
    const orderId = await shop().createOrder("olga");
    const items = `/customers/olga/orders/${orderId}/items`;
    const added = await shop().request("POST", items, { sku: "SOFA-OSLO-3", quantity: 2, x: 1 });
    expect(added.status).toBe(201);
    expect(added.headers.get("etag")).toBe('"1"');
    expect(added.body.order.lines).toMatchObject([{ sku: "SOFA-OSLO-3", quantity: 2 }]);
    // Only the fields of the contract are passed on.
    expect(shop().warehouse.received.at(-1)?.body).toEqual({ sku: "SOFA-OSLO-3", quantity: 2 });

    const sold = await shop().request("POST", items, { sku: "SOFA-OSLO-3", quantity: 2 });
    expect(sold.status).toBe(409);
    expect(sold.headers.get("content-type")).toContain("application/problem+json");
    expect(sold.body.code).toBe("INSUFFICIENT_STOCK");

    const stale = await shop().request(
      "POST",
      `/customers/olga/orders/${orderId}/place`,
      { deliveryAddress: "Elm road 2" },
      { "if-match": '"0"' },
    );
    expect(stale.status).toBe(412);
    expect(shop().warehouse.received.at(-1)?.headers["if-match"]).toBe('"0"');

    const removed = await shop().request("DELETE", `${items}/${added.body.lineId}`);
    expect(removed.status).toBe(200);
    expect(removed.body.lines).toEqual([]);
    const cancelled = await shop().request("POST", `/customers/olga/orders/${orderId}/cancel`, {
      reason: "Too big",
    });
    expect(cancelled).toMatchObject({ status: 200, body: { status: "cancelled" } });
  });

  it("refuses commands on another customer's order without asking the warehouse to act", async () => {
    const orderId = await shop().createOrder("olga");
    await shop().settle();
    const before = shop().warehouse.received.length;
    const refused = await shop().request("POST", `/customers/boris/orders/${orderId}/cancel`, {
      reason: "Not mine",
    });
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe("ORDER_NOT_FOUND");
    expect(sentSince(before)).toEqual([]);
    expect((await shop().request("GET", `/customers/olga/orders/${orderId}`)).body.status).toBe(
      "draft",
    );
  });

  it("asks the warehouse whose order it is while the view has not caught up", async () => {
    await shop().stopViews();
    const orderId = asOrderId("fresh-order-1");
    const customerId = unsafeDecode(CustomerId)("olga");
    await shop().bus.order({ type: "CreateOrder", orderId, customerId }, context)();

    const before = shop().warehouse.received.length;
    const mine = await shop().request("POST", `/customers/olga/orders/${orderId}/items`, {
      sku: "SOFA-OSLO-3",
      quantity: 1,
    });
    expect(mine.status).toBe(201);
    expect(sentSince(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /orders/${orderId}`,
      `POST /orders/${orderId}/items`,
    ]);

    const theirs = await shop().request("POST", `/customers/boris/orders/${orderId}/cancel`, {
      reason: "Not mine",
    });
    expect(theirs.status).toBe(404);
    const unknown = await shop().request("POST", "/customers/olga/orders/no-such-order/cancel", {
      reason: "Whatever",
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("ORDER_NOT_FOUND");
    shop().startViews();
  });
});
