import { appendedAt } from "@mebel/adapter-http/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { couriers, expectProblem, type Fixture, json, startFixture } from "./test-fixture.js";

let shop: Fixture;
beforeEach(async () => {
  shop = await startFixture({
    couriers: couriers(
      '[{"id":"anna","name":"Anna","capacity":2},{"id":"boris","name":"Boris","capacity":2}]',
    ),
  });
});
afterEach(() => shop.close());

describe("the delivery side of an order's journey", () => {
  it("requests a delivery and assigns a courier for an assembled order, with no HTTP call", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();

    const res = await shop.get("/deliveries/o-1");
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(await json(res)).toMatchObject({
      orderId: "o-1",
      status: "assigned",
      courierId: "anna",
    });
    expect(shop.eventCount("DeliveryRequested")).toBe(1);
    expect(shop.eventCount("CourierAssigned")).toBe(1);
    // The reaction keeps the warehouse's correlation: one user action, followed across streams.
    const requested = shop.store.all().find((e) => e.type === "DeliveryRequested");
    expect(requested?.metadata).toMatchObject({ correlationId: "warehouse-test" });
  });

  it("completes a picked-up delivery, honouring If-Match and the caller's correlation id", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();
    await shop.pickUp("o-1", "anna");

    const stale = await shop.post("/deliveries/o-1/complete", undefined, { "if-match": '"1"' });
    await expectProblem(stale, 412, "PRECONDITION_FAILED");
    expect(shop.eventCount("DeliveryCompleted")).toBe(0);

    const res = await shop.post("/deliveries/o-1/complete", undefined, {
      "if-match": '"2"',
      "x-correlation-id": "courier-app-7",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"3"');
    const completed = shop.store.all().find((e) => e.type === "DeliveryCompleted");
    // The answer says where the event landed: what a read of the board waits for.
    expect(await json(res)).toMatchObject({
      orderId: "o-1",
      status: "completed",
      courierId: "anna",
      position: String(completed?.position),
    });
    expect(appendedAt(res)).toBe(String(completed?.position));
    expect(completed?.metadata).toMatchObject({ correlationId: "courier-app-7" });

    await shop.settle();
    const list = (await (await shop.get("/couriers")).json()) as ReadonlyArray<unknown>;
    expect(list).toContainEqual({ id: "anna", name: "Anna", capacity: 2, active: 0 });
  });

  it("refuses to complete a delivery nobody has picked up, writing nothing", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();
    const before = shop.eventCount();
    const res = await shop.post("/deliveries/o-1/complete");
    await expectProblem(res, 409, "INVALID_STATUS_TRANSITION");
    expect(shop.eventCount()).toBe(before);
  });

  it("fails a delivery with its reason, and the courier is free again", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();

    const res = await shop.post("/deliveries/o-1/fail", { reason: "nobody home" });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"2"');
    expect(await json(res)).toMatchObject({
      orderId: "o-1",
      status: "failed",
      courierId: "anna",
      position: appendedAt(res),
    });

    await shop.settle();
    const board = (await (await shop.get("/deliveries")).json()) as {
      byCourier: Record<string, ReadonlyArray<unknown>>;
    };
    expect(board.byCourier).toEqual({ anna: [], boris: [] });
  });

  it("cancels the delivery of an order cancelled after assembly, freeing its courier, with no HTTP call", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();
    await shop.cancel("o-1");
    await shop.settle();

    const res = await shop.get("/deliveries/o-1");
    expect(res.headers.get("etag")).toBe('"2"');
    expect(await json(res)).toMatchObject({
      orderId: "o-1",
      status: "cancelled",
      courierId: "anna",
    });
    const cancelled = shop.store.all().find((e) => e.type === "DeliveryCancelled");
    expect(cancelled?.data).toEqual({ orderId: "o-1", reason: "changed mind" });
    expect(cancelled?.metadata).toMatchObject({ correlationId: "warehouse-test" });

    const board = (await (await shop.get("/deliveries")).json()) as {
      awaitingCourier: ReadonlyArray<unknown>;
      byCourier: Record<string, ReadonlyArray<unknown>>;
    };
    expect(board).toMatchObject({ awaitingCourier: [], byCourier: { anna: [], boris: [] } });
    const list = (await (await shop.get("/couriers")).json()) as ReadonlyArray<unknown>;
    expect(list).toContainEqual({ id: "anna", name: "Anna", capacity: 2, active: 0 });
  });

  it("lets a dispatcher cancel a delivery once: again is a no-op, and it is never tried again", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();

    const res = await shop.post("/deliveries/o-1/cancel", { reason: "collected in store" });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"2"');
    expect(await json(res)).toMatchObject({
      orderId: "o-1",
      status: "cancelled",
      courierId: "anna",
      position: appendedAt(res),
    });

    // A no-op appends nothing, so it has no position to tell, in the header or the body.
    const again = await shop.post("/deliveries/o-1/cancel", { reason: "collected in store" });
    expect(again.status).toBe(200);
    expect(again.headers.get("etag")).toBe('"2"');
    expect(again.headers.get("mebel-position")).toBeNull();
    const unchanged = await json(again);
    expect(unchanged).toMatchObject({ status: "cancelled", courierId: "anna" });
    expect(unchanged).not.toHaveProperty("position");
    expect(shop.eventCount("DeliveryCancelled")).toBe(1);

    const retry = await shop.post("/deliveries/o-1/reschedule");
    await expectProblem(retry, 409, "INVALID_STATUS_TRANSITION");
  });

  it("refuses to cancel a delivery the courier has picked up, writing nothing", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();
    await shop.pickUp("o-1", "anna");
    const before = shop.eventCount();
    const res = await shop.post("/deliveries/o-1/cancel", { reason: "changed mind" });
    await expectProblem(res, 409, "INVALID_STATUS_TRANSITION");
    expect(shop.eventCount()).toBe(before);
  });

  it("tries a failed delivery again: it awaits a courier, and the assignment manager places it", async () => {
    await shop.assembledOrder("o-1");
    await shop.assembledOrder("o-2");
    await shop.settle();
    await shop.post("/deliveries/o-1/fail", { reason: "nobody home" });

    const res = await shop.post("/deliveries/o-1/reschedule", undefined, { "if-match": '"2"' });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"3"');
    expect(await json(res)).toEqual({
      orderId: "o-1",
      status: "awaiting_courier",
      courierId: null,
      window: null,
      position: appendedAt(res),
    });

    // Anna carries nothing once o-1 failed, Boris carries o-2: Anna is the least loaded.
    await shop.settle();
    expect(await json(await shop.get("/deliveries/o-1"))).toMatchObject({
      orderId: "o-1",
      status: "assigned",
      courierId: "anna",
    });
  });

  it("reports its subscribers on /health and is ready once they run", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();
    const health = await shop.get("/health");
    expect(health.status).toBe(200);
    const body = (await health.json()) as {
      status: string;
      subscribers: ReadonlyArray<{ name: string; state: string; lag: string }>;
    };
    expect(body.status).toBe("ok");
    expect(body.subscribers.map((s) => s.name).sort()).toEqual([
      "delivery-board.v6",
      "order-view.v5",
      "process.courier-assignment",
      "process.delivery-on-assembled",
    ]);
    expect(body.subscribers.every((s) => s.state === "running" && s.lag === "0")).toBe(true);
    expect((await shop.get("/ready")).status).toBe(200);
  });
});
