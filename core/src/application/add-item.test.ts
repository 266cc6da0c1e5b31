import { createMemoryEventStore, systemClock, uuids } from "@mebel/adapter-memory";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { addressFromLine } from "../domain/order/delivery-address.js";
import type { OrderState } from "../domain/order/order.js";
import type { StockItemState } from "../domain/stock-item/stock-item.js";
import { orderStream, stockItemStream } from "../domain/streams.js";
import { type Catalog, Product } from "../ports/catalog.js";
import {
  type CustomerId,
  type LineId,
  type MinorUnits,
  type OrderId,
  type Quantity,
  type Sku,
  type Text,
  unsafeDecode,
} from "../shared/codecs.js";
import { addItem } from "./add-item.js";
import { orderAggregate, stockItemAggregate } from "./aggregates.js";
import { commandBus } from "./command-bus.js";
import { createCommandHandler } from "./command-handler.js";
import { loadAggregate } from "./load-aggregate.js";
import { sweepOrphans } from "./orphan-sweep.js";
import { lruStateCache } from "./state-cache.js";

const hot = "SOFA-OSLO-3" as Sku;
const price = 49_900 as MinorUnits;
const catalog: Catalog = {
  product: async (sku) =>
    sku === hot ? O.some(unsafeDecode(Product)({ sku, name: "Oslo sofa", price })) : O.none,
};
const ctx = (id: string) => ({ correlationId: id, causationId: id });
const qty = (n: number) => n as Quantity;
const orderOf = (i: number) => `o-${i}` as OrderId;
const lineOf = (i: number) => `l-${i}` as LineId;

/** Independent "processes" (each its own cache and per-stream queue) sharing one store. */
const world = (processes = 1) => {
  const store = createMemoryEventStore();
  const buses = Array.from({ length: processes }, () =>
    commandBus(
      createCommandHandler({ store, clock: systemClock, ids: uuids, cache: lruStateCache() }),
    ),
  );
  const bus = buses[0] as (typeof buses)[number];
  const state = async <S>(load: Promise<E.Either<unknown, { state: S }>>): Promise<S> => {
    const loaded = await load;
    if (E.isLeft(loaded)) throw new Error("corrupt stream");
    return loaded.right.state;
  };
  return {
    store,
    buses,
    bus,
    stock: (sku: Sku): Promise<StockItemState> =>
      state(loadAggregate(store, stockItemAggregate, stockItemStream(sku))),
    order: (orderId: OrderId): Promise<OrderState> =>
      state(loadAggregate(store, orderAggregate, orderStream(orderId))),
    receive: (n: number) =>
      bus.stockItem({ type: "ReceiveStock", sku: hot, quantity: qty(n) }, ctx("receive"))(),
    createOrder: (i: number, b = bus) =>
      b.order(
        { type: "CreateOrder", orderId: orderOf(i), customerId: `c-${i}` as CustomerId },
        ctx(`c${i}`),
      )(),
  };
};

describe("add item", () => {
  it("reserves the stock and records the line at the catalog price", async () => {
    const w = world();
    await w.receive(3);
    await w.createOrder(1);
    const result = await addItem({ bus: w.bus, catalog })(
      { orderId: orderOf(1), lineId: lineOf(1), sku: hot, quantity: qty(2) },
      ctx("add"),
    )();
    expect(E.isRight(result)).toBe(true);
    expect([...(await w.stock(hot)).reservations]).toEqual([
      { lineId: "l-1", orderId: "o-1", quantity: 2 },
    ]);
    expect(await w.order(orderOf(1))).toMatchObject({
      lines: { "l-1": { sku: hot, quantity: 2, unitPrice: price } },
    });
  });

  it("refuses an unknown product and writes nothing to its order", async () => {
    const w = world();
    await w.createOrder(1);
    const result = await addItem({ bus: w.bus, catalog })(
      { orderId: orderOf(1), lineId: lineOf(1), sku: "NOPE" as Sku, quantity: qty(1) },
      ctx("add"),
    )();
    expect(E.isLeft(result) && result.left.code).toBe("PRODUCT_NOT_FOUND");
    expect(w.store.all()).toHaveLength(1);
  });

  // The price is read while the stock decides, so stock of a SKU the catalog lacks is reserved
  // for a moment: it must be handed back, and the refusal be the catalog's.
  it("releases what it reserved for a product the catalog does not have", async () => {
    const w = world();
    const unknown = "NOPE" as Sku;
    await w.bus.stockItem({ type: "ReceiveStock", sku: unknown, quantity: qty(2) }, ctx("r"))();
    await w.createOrder(1);
    const result = await addItem({ bus: w.bus, catalog })(
      { orderId: orderOf(1), lineId: lineOf(1), sku: unknown, quantity: qty(1) },
      ctx("add"),
    )();
    expect(E.isLeft(result) && result.left.code).toBe("PRODUCT_NOT_FOUND");
    const stock = await w.stock(unknown);
    expect(stock.onHand - stock.reserved).toBe(2);
    expect(await w.order(orderOf(1))).toMatchObject({ status: "draft", lines: {} });
  });

  it("releases what it reserved when the catalog cannot be read, and fails as the catalog did", async () => {
    const w = world();
    await w.receive(2);
    await w.createOrder(1);
    const down: Catalog = { product: () => Promise.reject(new Error("catalog unreachable")) };
    await expect(
      addItem({ bus: w.bus, catalog: down })(
        { orderId: orderOf(1), lineId: lineOf(1), sku: hot, quantity: qty(1) },
        ctx("add"),
      )(),
    ).rejects.toThrow("catalog unreachable");
    const stock = await w.stock(hot);
    expect(stock.onHand - stock.reserved).toBe(2);
  });

  it("with order reads, refuses a missing order and a stale If-Match before writing anything, confirming a cached refusal fresh", async () => {
    const w = world();
    await w.receive(3);
    await w.createOrder(1);
    const fresh = (orderId: OrderId) =>
      loadAggregate(w.store, orderAggregate, orderStream(orderId));
    let staleCache = true;
    const orders = {
      fresh,
      // A cache that still thinks order 1 does not exist: its refusal must be checked again.
      asCached: async (orderId: OrderId) =>
        staleCache
          ? E.right({ state: { status: "none" } as OrderState, revision: -1n, cached: true })
          : E.map((at: { state: OrderState; revision: bigint }) => ({ ...at, cached: false }))(
              await fresh(orderId),
            ),
    };
    const add = addItem({ bus: w.bus, catalog, orders });
    const written = w.store.all().length;
    const missing = await add(
      { orderId: orderOf(9), lineId: lineOf(9), sku: hot, quantity: qty(1) },
      ctx("missing"),
    )();
    expect(E.isLeft(missing) && missing.left.code).toBe("ORDER_NOT_FOUND");
    staleCache = false;
    const stale = await add(
      { orderId: orderOf(1), lineId: lineOf(1), sku: hot, quantity: qty(1) },
      ctx("stale"),
      { expectedOrderRevision: 5n },
    )();
    expect(E.isLeft(stale) && stale.left.code).toBe("PRECONDITION_FAILED");
    expect(w.store.all()).toHaveLength(written);
    staleCache = true;
    const through = await add(
      { orderId: orderOf(1), lineId: lineOf(1), sku: hot, quantity: qty(1) },
      ctx("through"),
      { expectedOrderRevision: 0n },
    )();
    expect(E.isRight(through)).toBe(true);
  });

  it("releases the reservation when the order refuses the line", async () => {
    const w = world();
    await w.receive(3);
    await w.createOrder(1);
    const add = addItem({ bus: w.bus, catalog });
    await add({ orderId: orderOf(1), lineId: lineOf(1), sku: hot, quantity: qty(1) }, ctx("a1"))();
    await w.bus.order(
      {
        type: "PlaceOrder",
        orderId: orderOf(1),
        deliveryAddress: addressFromLine("Somewhere 1" as Text),
      },
      ctx("place"),
    )();
    const late = await add(
      { orderId: orderOf(1), lineId: lineOf(2), sku: hot, quantity: qty(1) },
      ctx("a2"),
    )();
    expect(E.isLeft(late) && late.left.code).toBe("ORDER_NOT_DRAFT");
    const stock = await w.stock(hot);
    expect(stock.reserved).toBe(1);
    expect([...stock.reservations].map((r) => r.lineId)).toEqual(["l-1"]);
  });

  it("is idempotent: the same line id again reserves and adds nothing more", async () => {
    const w = world();
    await w.receive(3);
    await w.createOrder(1);
    const add = addItem({ bus: w.bus, catalog });
    const request = { orderId: orderOf(1), lineId: lineOf(1), sku: hot, quantity: qty(2) };
    await add(request, ctx("a"))();
    const again = await add(request, ctx("a"))();
    expect(E.isRight(again)).toBe(true);
    expect((await w.stock(hot)).reserved).toBe(2);
    expect(w.store.all()).toHaveLength(4);
  });

  it("sells 10 units to exactly 10 of 50 concurrent buyers across 5 processes", async () => {
    const w = world(5);
    await w.receive(10);
    const buyers = Array.from({ length: 50 }, (_, i) => i);
    await Promise.all(buyers.map((i) => w.createOrder(i, w.buses[i % 5])));
    const results = await Promise.all(
      buyers.map((i) =>
        addItem({ bus: w.buses[i % 5] as (typeof w.buses)[number], catalog })(
          { orderId: orderOf(i), lineId: lineOf(i), sku: hot, quantity: qty(1) },
          ctx(`buy-${i}`),
        )(),
      ),
    );
    const sold = results.filter(E.isRight);
    const refused = results.filter(E.isLeft).map((r) => r.left.code);
    expect(sold).toHaveLength(10);
    expect(new Set(refused)).toEqual(new Set(["INSUFFICIENT_STOCK"]));

    const stock = await w.stock(hot);
    expect(stock.onHand).toBe(10);
    expect(stock.reserved).toBe(10);
    // Every reservation has its order line, and every order line its reservation.
    const orders = await Promise.all(buyers.map((i) => w.order(orderOf(i))));
    const lines = orders.flatMap((o) => (o.status === "none" ? [] : Object.keys(o.lines)));
    expect(lines.sort()).toEqual([...stock.reservations].map((r) => r.lineId).sort());
  });
});

describe("a process that dies between reserving and adding the line", () => {
  const crashAfterReserve = async (w: ReturnType<typeof world>, i: number) => {
    await w.receive(5);
    await w.createOrder(i);
    await w.bus.stockItem(
      { type: "ReserveStock", sku: hot, orderId: orderOf(i), lineId: lineOf(i), quantity: qty(2) },
      ctx("crashed"),
    )();
  };
  const orphan = (i: number) => ({ sku: hot, orderId: orderOf(i), lineId: lineOf(i) });

  it("leaves an orphan that the sweep fences on the order and then releases", async () => {
    const w = world();
    await crashAfterReserve(w, 1);
    const report = await sweepOrphans(w.bus)([orphan(1)], ctx("sweep"));
    expect(report.released).toEqual([orphan(1)]);
    expect((await w.stock(hot)).reserved).toBe(0);
    expect(await w.order(orderOf(1))).toMatchObject({ abandoned: { "l-1": true } });
  });

  it("cannot sneak the line in after the sweep: the late write is refused and compensated", async () => {
    const w = world();
    await crashAfterReserve(w, 1);
    await sweepOrphans(w.bus)([orphan(1)], ctx("sweep"));
    const late = await addItem({ bus: w.bus, catalog })(
      { orderId: orderOf(1), lineId: lineOf(1), sku: hot, quantity: qty(2) },
      ctx("retry"),
    )();
    expect(E.isLeft(late) && late.left.code).toBe("LINE_ABANDONED");
    expect((await w.stock(hot)).reserved).toBe(0);
  });

  it("keeps a reservation whose line did arrive (the ledger only lagged)", async () => {
    const w = world();
    await crashAfterReserve(w, 1);
    await w.bus.order(
      {
        type: "AddItem",
        orderId: orderOf(1),
        lineId: lineOf(1),
        sku: hot,
        quantity: qty(2),
        unitPrice: price,
      },
      ctx("late"),
    )();
    const report = await sweepOrphans(w.bus)([orphan(1)], ctx("sweep"));
    expect(report.attached).toEqual([orphan(1)]);
    expect((await w.stock(hot)).reserved).toBe(2);
  });
});
