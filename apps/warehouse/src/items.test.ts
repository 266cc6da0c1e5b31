import { createMemoryCatalog, systemClock } from "@mebel/adapter-memory";
import {
  type Catalog,
  type MinorUnits,
  type RunningSubscriber,
  releaseReservations,
  startProcessManager,
} from "@mebel/core";
import { afterEach, describe, expect, it } from "vitest";
import { draftOrder, lamp, sofa, type WarehouseWorld, warehouseWorld } from "./test-world.js";

let w: WarehouseWorld;
afterEach(() => w.close());

const stockOf = async (sku: string) => (await w.call("GET", `/stock/${sku}`)).body;

describe("adding items", () => {
  it("sells exactly what is there to 50 concurrent buyers on two instances: 10 units, 10 sales", async () => {
    w = await warehouseWorld();
    const other = await w.instance();
    await w.call("POST", `/stock/${sofa.sku}/receive`, { quantity: 10 });
    const instances = [w, other];
    const orders = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const created = await w.call("POST", "/orders", { customerId: `buyer-${i}` });
        return created.body.orderId as string;
      }),
    );

    const answers = await Promise.all(
      orders.map((orderId, i) =>
        (instances[i % 2] ?? w).call("POST", `/orders/${orderId}/items`, {
          sku: sofa.sku,
          quantity: 1,
        }),
      ),
    );

    const sold = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(sold).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const a of refused) expect(a.body.code).toBe("INSUFFICIENT_STOCK");
    expect(await stockOf(sofa.sku)).toEqual({
      sku: sofa.sku,
      onHand: 10,
      reserved: 10,
      available: 0,
    });

    // Every reservation has its line and every line its reservation: nothing refused was kept.
    const reservations = new Map<string, string>();
    for (const e of w.events(`StockItem-${sofa.sku}`)) {
      const data = e.data as { lineId: string; orderId: string };
      if (e.type === "StockReserved") reservations.set(data.lineId, data.orderId);
      if (e.type === "StockReservationReleased") reservations.delete(data.lineId);
    }
    const lines = new Map<string, string>();
    for (const orderId of orders) {
      const order = (await w.call("GET", `/orders/${orderId}`)).body;
      for (const line of order.lines) lines.set(line.lineId, orderId);
    }
    expect(lines).toEqual(reservations);
    expect(lines.size).toBe(10);
  });

  it("prices a line at the catalog's price of the moment", async () => {
    const catalog = createMemoryCatalog([sofa, lamp]);
    w = await warehouseWorld({ catalog });
    const orderId = await draftOrder(w);
    await w.call("POST", `/orders/${orderId}/items`, { sku: lamp.sku, quantity: 1 });
    await catalog.reprice(lamp.sku, 7_500 as MinorUnits);
    const second = await w.call("POST", `/orders/${orderId}/items`, { sku: lamp.sku, quantity: 1 });
    expect(second.body.order.lines.map((l: { unitPrice: number }) => l.unitPrice)).toEqual([
      lamp.price,
      7_500,
    ]);
    expect(second.body.order.total).toBe(lamp.price + 7_500);
  });

  it("holds If-Match across both writes: an order that moves on meanwhile gets its units back", async () => {
    // The sofa's price is held up after the If-Match check; meanwhile another line lands.
    let asked: () => void = () => {};
    const askedForPrice = new Promise<void>((resolve) => {
      asked = resolve;
    });
    let priced: () => void = () => {};
    const pricing = new Promise<void>((resolve) => {
      priced = resolve;
    });
    const inner = createMemoryCatalog([sofa, lamp]);
    const slow: Catalog = {
      product: async (sku) => {
        if (sku === sofa.sku) {
          asked();
          await pricing;
        }
        return inner.product(sku);
      },
    };
    w = await warehouseWorld({ catalog: slow });
    const orderId = await draftOrder(w);
    const stale = w.call(
      "POST",
      `/orders/${orderId}/items`,
      { sku: sofa.sku, quantity: 2 },
      { "if-match": '"0"' },
    );
    await askedForPrice;
    const other = await w.call("POST", `/orders/${orderId}/items`, { sku: lamp.sku, quantity: 1 });
    expect(other.status).toBe(201);
    priced();

    const res = await stale;
    expect(res.status).toBe(412);
    expect(res.body.code).toBe("PRECONDITION_FAILED");
    expect(await stockOf(sofa.sku)).toMatchObject({ reserved: 0, available: 10 });
    const order = await w.call("GET", `/orders/${orderId}`);
    expect(order.body.lines.map((l: { sku: string }) => l.sku)).toEqual([lamp.sku]);
  });

  it("checks If-Match against the stream, not against an instance's cache that is behind it", async () => {
    w = await warehouseWorld();
    const other = await w.instance();
    const orderId = await draftOrder(w);
    // The first instance caches the order at revision 1; the other moves it to revision 2.
    expect(
      (await w.call("POST", `/orders/${orderId}/items`, { sku: lamp.sku, quantity: 1 })).status,
    ).toBe(201);
    const moved = await other.call("POST", `/orders/${orderId}/items`, {
      sku: lamp.sku,
      quantity: 1,
    });
    expect(moved.headers.get("etag")).toBe('"2"');

    const current = await w.call(
      "POST",
      `/orders/${orderId}/items`,
      { sku: sofa.sku, quantity: 1 },
      { "if-match": '"2"' },
    );
    expect(current.status).toBe(201);
    expect(current.headers.get("etag")).toBe('"3"');
    const stale = await w.call(
      "POST",
      `/orders/${orderId}/items`,
      { sku: sofa.sku, quantity: 1 },
      { "if-match": '"2"' },
    );
    expect(stale.status).toBe(412);
    expect(await stockOf(sofa.sku)).toMatchObject({ reserved: 1, available: 9 });
  });

  it("finds an order another instance created, though this one never saw it", async () => {
    w = await warehouseWorld();
    const other = await w.instance();
    await draftOrder(w);
    const created = await other.call("POST", "/orders", { customerId: "olga" });
    const res = await w.call("POST", `/orders/${created.body.orderId}/items`, {
      sku: sofa.sku,
      quantity: 1,
    });
    expect(res.status).toBe(201);
  });

  it("refuses an unknown product with 404 and writes nothing", async () => {
    w = await warehouseWorld();
    const orderId = await draftOrder(w);
    const before = w.events().length;
    const res = await w.call("POST", `/orders/${orderId}/items`, { sku: "NO-SUCH", quantity: 1 });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("PRODUCT_NOT_FOUND");
    expect(w.events().length).toBe(before);
  });

  // The price is read while the stock decides: a reservation made meanwhile is handed back.
  it("answers 503 when the catalog cannot be asked, leaving the order and the stock as they were", async () => {
    const down: Catalog = { product: () => Promise.reject(new Error("connection refused")) };
    w = await warehouseWorld({ catalog: down });
    const orderId = await draftOrder(w);
    const order = (await w.call("GET", `/orders/${orderId}`)).body;
    const stock = await stockOf(sofa.sku);
    const res = await w.call("POST", `/orders/${orderId}/items`, { sku: sofa.sku, quantity: 1 });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe("CATALOG_UNAVAILABLE");
    expect((await w.call("GET", `/orders/${orderId}`)).body).toEqual(order);
    expect(await stockOf(sofa.sku)).toEqual(stock);
  });
});

describe("releasing reservations", () => {
  const releasing = (): RunningSubscriber =>
    startProcessManager(releaseReservations, {
      store: w.store,
      readModels: w.readModels,
      bus: w.bus,
      clock: systemClock,
    });
  const handledAll = async (manager: RunningSubscriber) => {
    const head = await w.store.head();
    if (head !== undefined) await manager.waitUntil(head);
  };

  it("gives a cancelled order's units back once release-reservations has run", async () => {
    w = await warehouseWorld();
    const orderId = await draftOrder(w);
    await w.call("POST", `/orders/${orderId}/items`, { sku: sofa.sku, quantity: 3 });
    await w.call("POST", `/orders/${orderId}/items`, { sku: lamp.sku, quantity: 2 });
    const cancelled = await w.call("POST", `/orders/${orderId}/cancel`, { reason: "moved" });
    expect(cancelled.status).toBe(200);
    // The answer does not wait for the release: that is the process manager's job.
    expect((await stockOf(sofa.sku)).reserved).toBe(3);

    const manager = releasing();
    try {
      await handledAll(manager);
      expect(await stockOf(sofa.sku)).toMatchObject({ reserved: 0, available: 10 });
      expect(await stockOf(lamp.sku)).toMatchObject({ reserved: 0, available: 10 });
    } finally {
      await manager.stop();
    }
  });

  it("gives a removed line's units back", async () => {
    w = await warehouseWorld();
    const manager = releasing();
    try {
      const orderId = await draftOrder(w);
      const added = await w.call("POST", `/orders/${orderId}/items`, {
        sku: sofa.sku,
        quantity: 4,
      });
      const removed = await w.call("DELETE", `/orders/${orderId}/items/${added.body.lineId}`);
      expect(removed.status).toBe(200);
      expect(removed.body.lines).toEqual([]);
      await handledAll(manager);
      expect(await stockOf(sofa.sku)).toMatchObject({ reserved: 0, available: 10 });
    } finally {
      await manager.stop();
    }
  });
});
