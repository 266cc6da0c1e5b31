import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { draftOrder, sofa, type WarehouseWorld, warehouseWorld } from "./test-world.js";

let w: WarehouseWorld;
beforeEach(async () => {
  w = await warehouseWorld();
});
afterEach(() => w.close());

const placedOrder = async () => {
  const orderId = await draftOrder(w);
  await w.call("POST", `/orders/${orderId}/items`, { sku: sofa.sku, quantity: 1 });
  await w.call("POST", `/orders/${orderId}/place`, { deliveryAddress: "Main St 1" });
  return orderId;
};

describe("the work queue", () => {
  it("lists placed orders, oldest first, with their picking lists and the view's lag", async () => {
    w.startSubscribers();
    const first = await placedOrder();
    const second = await placedOrder();
    await draftOrder(w); // a draft is not work yet
    await w.call("POST", `/orders/${second}/start-processing`);
    await w.settle();

    const res = await w.call("GET", "/queue");
    expect(res.status).toBe(200);
    expect(res.body.lag).toBe("0");
    expect(res.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([first, second]);
    expect(res.body.orders[0]).toMatchObject({
      stage: "to_process",
      lines: [{ sku: sofa.sku, quantity: 1 }],
    });
    expect(res.body.orders[1].stage).toBe("processing");
    expect(res.body.orders[0]).not.toHaveProperty("revisions");
  });

  it("says how far behind it is when its projection is not keeping up", async () => {
    await placedOrder();
    const res = await w.call("GET", "/queue");
    expect(res.body).toEqual({ orders: [], lag: String(w.events().length) });
  });
});

describe("health", () => {
  it("reports every warehouse subscriber with its lag, and is ready once they run", async () => {
    w.startSubscribers();
    await placedOrder();
    await w.settle();
    const health = await w.call("GET", "/health");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
    expect(
      health.body.subscribers.map((s: { name: string; lag: string }) => [s.name, s.lag]),
    ).toEqual([
      ["warehouse-queue.v1", "0"],
      ["availability.v1", "0"],
      ["reservation-ledger.v1", "0"],
      ["process.release-reservations", "0"],
      ["process.handover", "0"],
    ]);
    expect((await w.call("GET", "/ready")).status).toBe(200);
  });
});
