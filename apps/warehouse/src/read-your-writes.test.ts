import { appendedAt } from "@mebel/adapter-http/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { draftOrder, sofa, type WarehouseWorld, warehouseWorld } from "./test-world.js";

let w: WarehouseWorld;
beforeEach(async () => {
  w = await warehouseWorld();
});
afterEach(() => w.close());

const PLACEMENT = { deliveryAddress: "Main St 1" };

/** A draft with a sofa on it, its queue projection not yet running. */
const draftWithSofa = async (): Promise<string> => {
  const orderId = await draftOrder(w);
  await w.call("POST", `/orders/${orderId}/items`, { sku: sofa.sku, quantity: 1 });
  return orderId;
};

describe("read-your-writes on the warehouse", () => {
  it("answers a command with where its event landed, in the body as in the header, and the queue read at it shows the order", async () => {
    const orderId = await draftWithSofa();

    const placed = await w.call("POST", `/orders/${orderId}/place`, PLACEMENT);
    expect(placed.status).toBe(200);
    const event = w.events(`Order-${orderId}`).find((e) => e.type === "OrderPlaced");
    expect(placed.body.position).toBe(String(event?.position));
    expect(appendedAt(placed)).toBe(placed.body.position);

    // The queue's projection has not run: read as it is, the queue does not have the order yet.
    expect((await w.call("GET", "/queue")).body.orders).toEqual([]);
    const reading = w.call("GET", `/queue?minPosition=${placed.body.position}`);
    w.startSubscribers();
    const queue = await reading;
    expect(queue.status).toBe(200);
    expect(queue.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([orderId]);
  });

  it("gives the position of the first answer again to a replay by Idempotency-Key, writing nothing", async () => {
    const orderId = await draftWithSofa();
    const key = { "idempotency-key": "place-1" };

    const placed = await w.call("POST", `/orders/${orderId}/place`, PLACEMENT, key);
    const before = w.events().length;
    const replayed = await w.call("POST", `/orders/${orderId}/place`, PLACEMENT, key);

    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(replayed.body.position).toBe(appendedAt(placed));
    expect(appendedAt(replayed)).toBe(appendedAt(placed));
    expect(w.events()).toHaveLength(before);
  });

  it("says no position for a command that appended nothing, in the body as in the header", async () => {
    const orderId = await draftWithSofa();
    const reason = { reason: "changed my mind" };
    const cancelled = await w.call("POST", `/orders/${orderId}/cancel`, reason);
    expect(cancelled.body.position).toBe(appendedAt(cancelled));

    const again = await w.call("POST", `/orders/${orderId}/cancel`, reason);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("cancelled");
    expect(again.headers.get("mebel-position")).toBeNull();
    expect(again.body).not.toHaveProperty("position");
  });
});
