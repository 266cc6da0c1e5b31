import { appendedAt } from "@mebel/adapter-http/testing";
import { isoInstant } from "@mebel/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { draftOrder, lamp, sofa, type WarehouseWorld, warehouseWorld } from "./test-world.js";

let w: WarehouseWorld;
beforeEach(async () => {
  w = await warehouseWorld();
});
afterEach(() => w.close());

describe("an order's life on the warehouse side", () => {
  it("goes from creation to the courier, each answer carrying the ETag the next one names", async () => {
    const correlation = { "x-correlation-id": "journey-1" };
    await w.call("POST", `/stock/${sofa.sku}/receive`, { quantity: 5 });
    await w.call("POST", `/stock/${lamp.sku}/receive`, { quantity: 5 });

    const created = await w.call("POST", "/orders", { customerId: "olga" }, correlation);
    expect(created.status).toBe(201);
    const { orderId } = created.body;
    expect(created.headers.get("location")).toBe(`/orders/${orderId}`);
    expect(created.headers.get("etag")).toBe('"0"');
    expect(created.headers.get("x-correlation-id")).toBe("journey-1");
    expect(created.body).toEqual({
      orderId,
      customerId: "olga",
      status: "draft",
      lines: [],
      total: 0,
      courierId: null,
      position: String(w.events(`Order-${orderId}`)[0]?.position),
    });

    let etag = created.headers.get("etag") as string;
    const step = async (method: string, path: string, body?: unknown, status = 200) => {
      const res = await w.call(method, path, body, { ...correlation, "if-match": etag });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.headers.get("etag")).toBe(`"${Number(JSON.parse(etag)) + 1}"`);
      etag = res.headers.get("etag") as string;
      expect(res.body.position).toBe(appendedAt(res));
      return res.body;
    };

    const sofaLine = await step(
      "POST",
      `/orders/${orderId}/items`,
      { sku: sofa.sku, quantity: 1 },
      201,
    );
    expect(sofaLine.order.lines).toEqual([
      { lineId: sofaLine.lineId, sku: sofa.sku, quantity: 1, unitPrice: sofa.price },
    ]);
    const lampLine = await step(
      "POST",
      `/orders/${orderId}/items`,
      { sku: lamp.sku, quantity: 2 },
      201,
    );
    expect(lampLine.order.total).toBe(sofa.price + 2 * lamp.price);
    const extra = await step(
      "POST",
      `/orders/${orderId}/items`,
      { sku: lamp.sku, quantity: 1 },
      201,
    );

    const removed = await step("DELETE", `/orders/${orderId}/items/${extra.lineId}`);
    expect(removed.lines.map((l: { lineId: string }) => l.lineId)).toEqual([
      sofaLine.lineId,
      lampLine.lineId,
    ]);
    expect(
      (await step("POST", `/orders/${orderId}/place`, { deliveryAddress: "Main St 1" })).status,
    ).toBe("placed");
    expect((await step("POST", `/orders/${orderId}/start-processing`)).status).toBe("processing");
    expect((await step("POST", `/orders/${orderId}/mark-assembled`)).status).toBe("assembled");
    const handed = await step("POST", `/orders/${orderId}/hand-to-courier`, { courierId: "anna" });
    expect(handed).toMatchObject({ status: "handed_to_courier", courierId: "anna" });

    const read = await w.call("GET", `/orders/${orderId}`);
    expect(read.status).toBe(200);
    expect(read.headers.get("etag")).toBe(etag);
    // A read has no write of its own: the order as the command left it, without a position.
    const { position: _handedAt, ...handedOrder } = handed;
    expect(read.body).toEqual(handedOrder);
    expect(read.body.total).toBe(sofa.price + 2 * lamp.price);

    // Every event the journey caused carries its correlation id.
    const orderEvents = w.events(`Order-${orderId}`);
    expect(orderEvents.map((e) => e.type)).toEqual([
      "OrderCreated",
      "OrderItemAdded",
      "OrderItemAdded",
      "OrderItemAdded",
      "OrderItemRemoved",
      "OrderPlaced",
      "OrderProcessingStarted",
      "OrderAssembled",
      "OrderHandedToCourier",
    ]);
    const caused = w.events().filter((e) => e.type !== "StockReceived");
    for (const event of caused) {
      expect(event.metadata).toMatchObject({ correlationId: "journey-1" });
    }
  });

  it("cancels an order and answers 404 for one that does not exist", async () => {
    const orderId = await draftOrder(w);
    const cancelled = await w.call("POST", `/orders/${orderId}/cancel`, { reason: "changed mind" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect(cancelled.headers.get("etag")).toBe('"1"');
    const missing = await w.call("GET", "/orders/no-such-order");
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("ORDER_NOT_FOUND");
  });

  it("refuses what the order's state does not allow with the domain's code", async () => {
    const orderId = await draftOrder(w);
    const empty = await w.call("POST", `/orders/${orderId}/place`, {
      deliveryAddress: "Main St 1",
    });
    expect(empty.status).toBe(409);
    expect(empty.body.code).toBe("ORDER_EMPTY");
    const early = await w.call("POST", `/orders/${orderId}/mark-assembled`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe("INVALID_STATUS_TRANSITION");
  });
});

describe("If-Match", () => {
  it("answers 412 when the stream has moved on, and writes nothing", async () => {
    const orderId = await draftOrder(w);
    const added = await w.call("POST", `/orders/${orderId}/items`, { sku: sofa.sku, quantity: 1 });
    const stale = { "if-match": '"0"' };
    const before = w.events().length;
    const attempts = [
      w.call("POST", `/orders/${orderId}/items`, { sku: sofa.sku, quantity: 1 }, stale),
      w.call("DELETE", `/orders/${orderId}/items/${added.body.lineId}`, undefined, stale),
      w.call("POST", `/orders/${orderId}/place`, { deliveryAddress: "Main St 1" }, stale),
      w.call("POST", `/orders/${orderId}/cancel`, { reason: "no" }, stale),
      w.call("POST", `/stock/${sofa.sku}/receive`, { quantity: 1 }, stale),
      w.call("POST", "/orders", { customerId: "olga" }, { "if-match": '"3"' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(412);
      expect(res.body.code).toBe("PRECONDITION_FAILED");
    }
    expect(w.events().length).toBe(before);
  });

  it("lets a command through when it names the current revision, or * ", async () => {
    const orderId = await draftOrder(w);
    const added = await w.call(
      "POST",
      `/orders/${orderId}/items`,
      { sku: sofa.sku, quantity: 1 },
      { "if-match": '"0"' },
    );
    expect(added.status).toBe(201);
    const any = await w.call(
      "POST",
      `/orders/${orderId}/cancel`,
      { reason: "no" },
      { "if-match": "*" },
    );
    expect(any.status).toBe(200);
  });
});

describe("Idempotency-Key", () => {
  it("replays a retried create: the same order, created once", async () => {
    const key = { "idempotency-key": "create-1" };
    const first = await w.call("POST", "/orders", { customerId: "olga" }, key);
    const retry = await w.call("POST", "/orders", { customerId: "olga" }, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(retry.headers.get("location")).toBe(first.headers.get("location"));
    // The first answer again, with the position its write landed at: nothing new to wait for.
    expect(retry.headers.get("mebel-position")).toBe(appendedAt(first));
    expect(retry.body).toEqual({ ...first.body, position: appendedAt(first) });
    expect(w.events(`Order-${first.body.orderId}`)).toHaveLength(1);
    const reused = await w.call("POST", "/orders", { customerId: "boris" }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("replays a retried add: one reservation, one line", async () => {
    const orderId = await draftOrder(w);
    const key = { "idempotency-key": "add-1" };
    const item = { sku: sofa.sku, quantity: 2 };
    const first = await w.call("POST", `/orders/${orderId}/items`, item, key);
    const retry = await w.call("POST", `/orders/${orderId}/items`, item, key);
    expect(first.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(w.events(`StockItem-${sofa.sku}`).map((e) => e.type)).toEqual([
      "StockReceived",
      "StockReserved",
    ]);
    expect(w.events(`Order-${orderId}`).map((e) => e.type)).toEqual([
      "OrderCreated",
      "OrderItemAdded",
    ]);
  });

  it("creates the same things when a retry runs again after the answer was lost in a crash", async () => {
    const orderId = await draftOrder(w);
    // A second instance has no record of the key, as after a crash before the answer was stored.
    const restarted = await w.instance();
    const create = { "idempotency-key": "create-2" };
    const add = { "idempotency-key": "add-2" };
    const item = { sku: lamp.sku, quantity: 1 };
    const created = await w.call("POST", "/orders", { customerId: "olga" }, create);
    const recreated = await restarted.call("POST", "/orders", { customerId: "olga" }, create);
    expect(recreated.headers.get("idempotent-replayed")).toBeNull();
    // The re-run finds its events written and appends none: it has no position of its own.
    const { position: createdAt, ...createdOrder } = created.body;
    expect(createdAt).toBe(appendedAt(created));
    expect(recreated.headers.get("mebel-position")).toBeNull();
    expect(recreated.body).toEqual(createdOrder);
    const added = await w.call("POST", `/orders/${orderId}/items`, item, add);
    const readded = await restarted.call("POST", `/orders/${orderId}/items`, item, add);
    const { position: addedAt, ...addedItem } = added.body;
    expect(addedAt).toBe(appendedAt(added));
    expect(readded.headers.get("mebel-position")).toBeNull();
    expect(readded.body).toEqual(addedItem);
    expect(w.events(`Order-${created.body.orderId}`)).toHaveLength(1);
    expect(w.events(`Order-${orderId}`)).toHaveLength(2);
    expect(w.events(`StockItem-${lamp.sku}`)).toHaveLength(2);
  });
});

describe("an order whose stream holds an event no codec can read", () => {
  it("answers 500 CORRUPT_EVENT naming the event, to reads and commands, and writes nothing", async () => {
    const created = await w.call("POST", "/orders", { customerId: "olga" });
    const { orderId } = created.body;
    const stream = `Order-${orderId}`;
    await w.store.append(
      stream,
      [
        {
          eventId: crypto.randomUUID(),
          type: "OrderPlaced",
          data: { orderId, deliveryAddress: 42 },
          metadata: { correlationId: "c", causationId: "c", occurredAt: isoInstant(new Date()) },
        },
      ],
      0n,
    );
    for (const [method, path, body] of [
      ["GET", `/orders/${orderId}`, undefined],
      ["POST", `/orders/${orderId}/cancel`, { reason: "changed my mind" }],
    ] as const) {
      const res = await w.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(500);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body).toMatchObject({
        code: "CORRUPT_EVENT",
        details: { streamName: stream, revision: "1" },
      });
    }
    expect(w.events(stream)).toHaveLength(2);
  });
});

describe("the delivery address (OrderPlaced v2)", () => {
  const placed = async (deliveryAddress: unknown) => {
    await w.call("POST", `/stock/${lamp.sku}/receive`, { quantity: 1 });
    const { orderId } = (await w.call("POST", "/orders", { customerId: "olga" })).body;
    await w.call("POST", `/orders/${orderId}/items`, { sku: lamp.sku, quantity: 1 });
    const answer = await w.call("POST", `/orders/${orderId}/place`, { deliveryAddress });
    return { answer, events: w.events(`Order-${orderId}`) };
  };

  it("is stored structured, in version 2, as it was given", async () => {
    const address = {
      street: "Nevsky prospekt 28",
      city: "St Petersburg",
      postalCode: "191186",
      country: "RU",
    };
    const { answer, events } = await placed(address);
    expect(answer.status).toBe(200);
    const event = events.find((e) => e.type === "OrderPlaced");
    expect(event?.data).toMatchObject({ deliveryAddress: { ...address, line: null } });
    expect(event?.metadata).toMatchObject({ schemaVersion: 2 });
  });

  it("still takes the old single string for a while, kept whole as the address's line", async () => {
    const { answer, events } = await placed("Nevsky prospekt 28, St Petersburg");
    expect(answer.status).toBe(200);
    expect(events.find((e) => e.type === "OrderPlaced")?.data).toMatchObject({
      deliveryAddress: {
        street: null,
        city: null,
        postalCode: null,
        country: null,
        line: "Nevsky prospekt 28, St Petersburg",
      },
    });
  });

  it("refuses a structured address that is not one, naming the field", async () => {
    const { answer } = await placed({
      street: "Nevsky 28",
      city: "SPb",
      postalCode: "191186",
      country: "Russia",
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain("body.deliveryAddress.country");
  });
});

describe("an order placed before addresses were structured (OrderPlaced v1)", () => {
  it("reads its address through the upcaster, as the line of today's shape", async () => {
    const { orderId } = (await w.call("POST", "/orders", { customerId: "olga" })).body;
    await w.call("POST", `/stock/${lamp.sku}/receive`, { quantity: 1 });
    await w.call("POST", `/orders/${orderId}/items`, { sku: lamp.sku, quantity: 1 });
    const before = w.events(`Order-${orderId}`);
    // As a v1 writer stored it: a string, and no schemaVersion in the metadata.
    await w.store.append(
      `Order-${orderId}`,
      [
        {
          eventId: crypto.randomUUID(),
          type: "OrderPlaced",
          data: { orderId, deliveryAddress: "Liteyny 10", total: lamp.price },
          metadata: {
            correlationId: "old",
            causationId: "old",
            occurredAt: isoInstant(new Date()),
          },
        },
      ],
      BigInt(before.length - 1),
    );
    const order = await w.call("GET", `/orders/${orderId}`);
    expect(order.status).toBe(200);
    expect(order.body.status).toBe("placed");
    expect((await w.call("POST", `/orders/${orderId}/start-processing`)).status).toBe(200);
  });
});
