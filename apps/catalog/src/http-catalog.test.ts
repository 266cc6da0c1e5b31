import { createLogger, type Listening, listen } from "@mebel/adapter-http";
import { testIssuer } from "@mebel/adapter-http/testing";
import {
  createMemoryCatalog,
  createMemoryEventStore,
  createMemoryIdempotencyStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import {
  addItem,
  type CustomerId,
  commandBus,
  createCommandHandler,
  type LineId,
  type MinorUnits,
  type OrderId,
  Product,
  type ProductRepository,
  type Quantity,
  type Sku,
  unsafeDecode,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCatalogApp } from "./app.js";
import { CatalogUnavailableError, httpCatalog } from "./http-catalog.js";

const sofa = unsafeDecode(Product)({ sku: "SOFA-OSLO-3", name: "Oslo sofa", price: 49_900 });
const logger = createLogger("catalog-test", "silent");
const serve = async (products: ProductRepository) =>
  listen(
    createCatalogApp({
      products,
      idempotency: createMemoryIdempotencyStore(),
      logger,
      guard: (await testIssuer()).guard,
    }),
    0,
  );

let products: ReturnType<typeof createMemoryCatalog>;
let server: Listening;
beforeAll(async () => {
  products = createMemoryCatalog([sofa]);
  server = await serve(products);
});
afterAll(() => server.close());

describe("httpCatalog", () => {
  it("reads a product as the catalog has it now, without its version", async () => {
    const catalog = httpCatalog(`${server.url}/`);
    expect(await catalog.product(sofa.sku)).toEqual(O.some(sofa));
    await products.reprice(sofa.sku, 39_900 as MinorUnits);
    expect(await catalog.product(sofa.sku)).toEqual(O.some({ ...sofa, price: 39_900 }));
    await products.reprice(sofa.sku, sofa.price);
  });

  it("reads the catalog's PRODUCT_NOT_FOUND as no product", async () => {
    expect(await httpCatalog(server.url).product("NOPE" as Sku)).toEqual(O.none);
  });

  it("throws for any other failure, so a broken catalog never passes for an empty one", async () => {
    const wrongBase = httpCatalog(`${server.url}/nowhere`);
    await expect(wrongBase.product(sofa.sku)).rejects.toBeInstanceOf(CatalogUnavailableError);

    const failing: ProductRepository = {
      ...products,
      get: () => Promise.reject(new Error("disk on fire")),
    };
    const broken = await serve(failing);
    try {
      await expect(httpCatalog(broken.url).product(sofa.sku)).rejects.toThrow(/answered 500/);
    } finally {
      await broken.close();
    }

    const gone = await serve(products);
    await gone.close();
    await expect(httpCatalog(gone.url).product(sofa.sku)).rejects.toBeInstanceOf(
      CatalogUnavailableError,
    );
  });

  it("gives addItem the price of the moment: a re-price changes new lines, not old ones", async () => {
    const bus = commandBus(
      createCommandHandler({ store: createMemoryEventStore(), clock: systemClock, ids: uuids }),
    );
    const ctx = { correlationId: "c", causationId: "c" };
    const add = addItem({ bus, catalog: httpCatalog(server.url) });
    const orderId = "o-1" as OrderId;
    const quantity = 1 as Quantity;
    await bus.stockItem({ type: "ReceiveStock", sku: sofa.sku, quantity: 5 as Quantity }, ctx)();
    await bus.order({ type: "CreateOrder", orderId, customerId: "c-1" as CustomerId }, ctx)();

    const first = await add({ orderId, lineId: "l-1" as LineId, sku: sofa.sku, quantity }, ctx)();
    await products.reprice(sofa.sku, 45_000 as MinorUnits);
    const second = await add({ orderId, lineId: "l-2" as LineId, sku: sofa.sku, quantity }, ctx)();

    if (E.isLeft(first) || E.isLeft(second)) throw new Error("adding failed");
    const lines = second.right.order.status === "none" ? {} : second.right.order.lines;
    expect(lines["l-1"]?.unitPrice).toBe(49_900);
    expect(lines["l-2"]?.unitPrice).toBe(45_000);
  });
});
