import { describe, expect, it, vi } from "vitest";
import { readEventStream } from "./test-support/event-stream-reader.js";
import { asOrderId, context, useSiteFixture } from "./test-support/site-fixture.js";

const shop = useSiteFixture();

const ticketOf = async (headers: Record<string, string>): Promise<string> => {
  const answer = await shop().request("POST", "/auth/ticket", undefined, headers);
  expect(answer.status).toBe(201);
  return answer.body.ticket as string;
};

describe("GET /products/events (anyone)", () => {
  it("pushes an SKU's availability as stock is received and reserved, without a credential", async () => {
    const stream = await readEventStream(`${shop().url}/products/events`);
    expect(stream.response.status).toBe(200);
    await stream.ready();

    await shop().receiveStock("LAMP-ARC", 3);
    const received = await stream.waitFor((e) => e.event === "availability");
    expect(received.data).toEqual({ sku: "LAMP-ARC", available: 3 });

    const orderId = await shop().createOrder("mila");
    await shop().request("POST", `/customers/mila/orders/${orderId}/items`, {
      sku: "LAMP-ARC",
      quantity: 2,
    });
    const reserved = await stream.waitFor(
      (e) => e.event === "availability" && e.data.available === 1,
    );
    // Nobody's order, customer or reservation leaves with it: only the figure.
    expect(reserved.data).toEqual({ sku: "LAMP-ARC", available: 1 });
    expect(stream.events.every((e) => e.event === "availability")).toBe(true);
    await stream.close();
  });

  it("refuses more open streams from one address than its limit, and frees the slot on close", async () => {
    await vi.waitFor(() => expect(shop().listeners()).toBe(0), { timeout: 2_000 });
    const open = await Promise.all(
      Array.from({ length: 20 }, () => readEventStream(`${shop().url}/products/events`)),
    );
    await Promise.all(open.map((s) => s.ready()));
    const refused = await fetch(`${shop().url}/products/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(await refused.json()).toMatchObject({ code: "TOO_MANY_STREAMS" });

    await open[0]?.close();
    await vi.waitFor(() => expect(shop().listeners()).toBe(19), { timeout: 2_000 });
    const again = await readEventStream(`${shop().url}/products/events`);
    expect(again.response.status).toBe(200);
    await Promise.all([again, ...open.slice(1)].map((s) => s.close()));
  });
});

describe("GET /staff/events (warehouse, with a ticket)", () => {
  it("pushes placed orders' picking lists and stock levels, nothing of customers", async () => {
    const warehouse = await shop().issuer.bearer("wh-1", ["warehouse"]);
    const ticket = await ticketOf(warehouse);
    const stream = await readEventStream(`${shop().url}/staff/events?ticket=${ticket}`);
    expect(stream.response.status).toBe(200);
    await stream.ready();

    await shop().receiveStock("CHAIR-EAMES", 4);
    const stock = await stream.waitFor((e) => e.event === "stock");
    expect(stock.data).toEqual({ sku: "CHAIR-EAMES", onHand: 4, reserved: 0, available: 4 });

    const orderId = await shop().createOrder("petr");
    await shop().request("POST", `/customers/petr/orders/${orderId}/items`, {
      sku: "CHAIR-EAMES",
      quantity: 1,
    });
    await shop().request("POST", `/customers/petr/orders/${orderId}/place`, {
      deliveryAddress: "Oak street 1",
    });
    const placed = await stream.waitFor((e) => e.event === "order" && e.data.status === "placed");
    expect(placed.data).toMatchObject({
      orderId,
      stage: "to_process",
      lines: [{ sku: "CHAIR-EAMES", quantity: 1 }],
    });
    expect(Object.keys(placed.data).sort()).toEqual([
      "lines",
      "orderId",
      "placedAt",
      "stage",
      "status",
      "updatedAt",
    ]);
    await shop().bus.order({ type: "StartProcessing", orderId: asOrderId(orderId) }, context)();
    await stream.waitFor((e) => e.event === "order" && e.data.stage === "processing");
    // A delivery's steps change what the customer sees, not the order's place on the floor.
    await shop().bus.order({ type: "MarkAssembled", orderId: asOrderId(orderId) }, context)();
    await shop().bus.delivery({ type: "RequestDelivery", orderId: asOrderId(orderId) }, context)();
    const requested = await stream.waitFor(
      (e) => e.event === "order" && e.data.status === "awaiting_courier",
    );
    expect(requested.data.stage).toBe("assembled");
    // A draft is a customer's cart, not the warehouse's work.
    expect(stream.events.some((e) => e.event === "order" && e.data.status === "draft")).toBe(false);
    await stream.close();
  });

  it("is refused to a customer's ticket, to no credential, and to a ticket used twice", async () => {
    const customerTicket = await ticketOf(await shop().bearer("olga"));
    expect((await fetch(`${shop().url}/staff/events?ticket=${customerTicket}`)).status).toBe(403);
    expect((await fetch(`${shop().url}/staff/events`)).status).toBe(401);

    const ticket = await ticketOf(await shop().issuer.bearer("wh-2", ["warehouse"]));
    const first = await readEventStream(`${shop().url}/staff/events?ticket=${ticket}`);
    await first.ready();
    expect((await fetch(`${shop().url}/staff/events?ticket=${ticket}`)).status).toBe(401);
    await first.close();
  });
});
