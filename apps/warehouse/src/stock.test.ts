import { appendedAt } from "@mebel/adapter-http/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lamp, sofa, type WarehouseWorld, warehouseWorld } from "./test-world.js";

let w: WarehouseWorld;
beforeEach(async () => {
  w = await warehouseWorld();
});
afterEach(() => w.close());

describe("stock", () => {
  it("receives stock and answers the new counts with the stream's ETag", async () => {
    const first = await w.call("POST", `/stock/${sofa.sku}/receive`, { quantity: 4 });
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).toBe('"0"');
    const [received] = w.events(`StockItem-${sofa.sku}`);
    expect(first.body).toEqual({
      sku: sofa.sku,
      onHand: 4,
      reserved: 0,
      available: 4,
      position: String(received?.position),
    });
    expect(appendedAt(first)).toBe(first.body.position);
    const second = await w.call(
      "POST",
      `/stock/${sofa.sku}/receive`,
      { quantity: 6 },
      { "if-match": '"0"' },
    );
    expect(second.headers.get("etag")).toBe('"1"');
    expect(second.body.onHand).toBe(10);
  });

  it("reads one SKU live from its stream, reservations included", async () => {
    await w.call("POST", `/stock/${sofa.sku}/receive`, { quantity: 5 });
    const { body: order } = await w.call("POST", "/orders", { customerId: "olga" });
    await w.call("POST", `/orders/${order.orderId}/items`, { sku: sofa.sku, quantity: 2 });
    const res = await w.call("GET", `/stock/${sofa.sku}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.body).toEqual({ sku: sofa.sku, onHand: 5, reserved: 2, available: 3 });
  });

  it("answers a SKU that never had stock as none, at revision -1", async () => {
    const res = await w.call("GET", "/stock/NEVER-STOCKED");
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"-1"');
    expect(res.body).toEqual({ sku: "NEVER-STOCKED", onHand: 0, reserved: 0, available: 0 });
  });

  it("reads several SKUs at once, each once, in the order asked", async () => {
    await w.call("POST", `/stock/${sofa.sku}/receive`, { quantity: 2 });
    await w.call("POST", `/stock/${lamp.sku}/receive`, { quantity: 7 });
    const many = await w.call("GET", `/stock?sku=${lamp.sku}&sku=${sofa.sku}&sku=${lamp.sku}`);
    expect(many.status).toBe(200);
    expect(many.body).toEqual([
      { sku: lamp.sku, onHand: 7, reserved: 0, available: 7 },
      { sku: sofa.sku, onHand: 2, reserved: 0, available: 2 },
    ]);
    const one = await w.call("GET", `/stock?sku=${sofa.sku}`);
    expect(one.body).toEqual([{ sku: sofa.sku, onHand: 2, reserved: 0, available: 2 }]);
  });

  it("takes up to 50 SKUs", async () => {
    const skus = (n: number) => Array.from({ length: n }, (_, i) => `sku=SKU-${i}`).join("&");
    expect((await w.call("GET", `/stock?${skus(50)}`)).body).toHaveLength(50);
    const tooMany = await w.call("GET", `/stock?${skus(51)}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([{ path: "query.sku", expected: "1 to 50 SKUs" }]);
  });
});
