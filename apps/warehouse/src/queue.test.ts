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

  it("answers a page at a time, following the cursor it hands out, and refuses a forged one", async () => {
    w.startSubscribers();
    const placed = [await placedOrder(), await placedOrder(), await placedOrder()];
    await w.settle();

    const first = await w.call("GET", "/queue?limit=2");
    expect(first.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual(
      placed.slice(0, 2),
    );
    expect(first.headers.get("link")).toBe(
      `</queue?limit=2&cursor=${first.body.next}>; rel="next"`,
    );
    const second = await w.call("GET", `/queue?limit=2&cursor=${first.body.next}`);
    expect(second.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([placed[2]]);
    expect(second.body.next).toBeNull();
    expect(second.headers.get("link")).toBeNull();

    for (const query of ["cursor=not-ours", "cursor=%7B%7D", "limit=0", "limit=201", "limit=x"]) {
      const refused = await w.call("GET", `/queue?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body.code).toBe("INVALID_REQUEST");
    }
  });

  it("says how far behind it is when its projection is not keeping up", async () => {
    await placedOrder();
    const res = await w.call("GET", "/queue");
    expect(res.body).toEqual({ orders: [], next: null, lag: String(w.events().length) });
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
      ["warehouse-queue.v3", "0"],
      ["availability.v2", "0"],
      ["reservation-ledger.v2", "0"],
      ["process.release-reservations", "0"],
      ["process.handover", "0"],
    ]);
    expect((await w.call("GET", "/ready")).status).toBe(200);
  });
});
