import { randomUUID } from "node:crypto";
import {
  type AccountStore,
  type Catalog,
  type IdempotencyStore,
  type MinorUnits,
  Product,
  type ProductRepository,
  type SnapshotStore,
  unsafeDecode,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import { expect, it } from "vitest";
import { accountStoreCases } from "./account-store-contract.js";
import { describeContract, type Setup, uniqueName, uniqueStream } from "./fixtures.js";

/** The stores the services keep beside events and read models. */
export interface ServiceStores {
  readonly snapshots: SnapshotStore;
  readonly idempotency: IdempotencyStore;
  readonly products: ProductRepository & Catalog;
  readonly accounts: AccountStore;
}

const uniqueProduct = (price = 10_000) =>
  unsafeDecode(Product)({
    sku: `SKU-${randomUUID().slice(0, 13).toUpperCase()}`,
    name: "Contract chair",
    price,
  });
const response = {
  status: 201,
  headers: { "content-type": "application/json" },
  body: '{"ok":true}',
};

export const describeServiceStoreContracts = (
  name: string,
  open: Setup<{ readonly stores: ServiceStores }>,
): void => {
  describeContract(`${name}: SnapshotStore contract`, open, (fixture) => {
    const store = () => fixture().stores.snapshots;

    it("loads nothing for a stream never snapshotted", async () => {
      expect(await store().load(uniqueStream())).toBeUndefined();
    });

    it("keeps the newest snapshot: an older one saved late does not replace it", async () => {
      const stream = uniqueStream();
      await store().save(stream, { revision: 200n, schema: 1, state: { onHand: 7, note: "ёлка" } });
      await store().save(stream, { revision: 100n, schema: 1, state: { onHand: 3 } });
      expect(await store().load(stream)).toEqual({
        revision: 200n,
        schema: 1,
        state: { onHand: 7, note: "ёлка" },
      });
    });

    it("replaces a snapshot of another state schema, whatever its revision", async () => {
      const stream = uniqueStream();
      await store().save(stream, { revision: 200n, schema: 1, state: { a: 1 } });
      await store().save(stream, { revision: 150n, schema: 2, state: { b: 2 } });
      expect(await store().load(stream)).toEqual({ revision: 150n, schema: 2, state: { b: 2 } });
    });
  });

  describeContract(`${name}: AccountStore contract`, open, (fixture) =>
    accountStoreCases(() => fixture().stores.accounts),
  );

  describeContract(`${name}: IdempotencyStore contract`, open, (fixture) => {
    const store = () => fixture().stores.idempotency;

    it("claims a new key once: a second claim meanwhile is in progress", async () => {
      const key = uniqueName("key");
      expect(await store().claim(key, "fp", 60_000)).toEqual({ kind: "claimed" });
      expect(await store().claim(key, "fp", 60_000)).toEqual({ kind: "in_progress" });
    });

    it("answers a completed key with its response, and another request with it as a mismatch", async () => {
      const key = uniqueName("key");
      await store().claim(key, "fp", 60_000);
      await store().complete(key, response);
      expect(await store().claim(key, "fp", 60_000)).toEqual({ kind: "completed", response });
      expect(await store().claim(key, "other", 60_000)).toEqual({ kind: "mismatch" });
    });

    it("frees an abandoned key, and takes over one whose lease ran out", async () => {
      const abandoned = uniqueName("key");
      await store().claim(abandoned, "fp", 60_000);
      await store().abandon(abandoned);
      expect(await store().claim(abandoned, "fp", 60_000)).toEqual({ kind: "claimed" });

      const expired = uniqueName("key");
      await store().claim(expired, "fp", 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await store().claim(expired, "fp", 60_000)).toEqual({ kind: "claimed" });
    });

    it("lets exactly one of many concurrent claims win", async () => {
      const key = uniqueName("key");
      const claims = await Promise.all(
        Array.from({ length: 10 }, () => store().claim(key, "fp", 60_000)),
      );
      expect(claims.filter((c) => c.kind === "claimed")).toHaveLength(1);
    });
  });

  describeContract(`${name}: ProductRepository contract`, open, (fixture) => {
    const store = () => fixture().stores.products;

    it("creates a product at version 1, finds it, lists it, and refuses it twice", async () => {
      const product = uniqueProduct();
      expect(await store().create(product)).toEqual(E.right({ ...product, version: 1 }));
      expect(await store().get(product.sku)).toEqual(O.some({ ...product, version: 1 }));
      expect(O.isSome(await store().product(product.sku))).toBe(true);
      expect((await store().list()).map((p) => p.sku)).toContain(product.sku);
      const again = await store().create(product);
      expect(E.isLeft(again) && again.left.code).toBe("PRODUCT_ALREADY_EXISTS");
    });

    it("re-prices, bumping the version, and checks the version the caller saw", async () => {
      const product = uniqueProduct(10_000);
      await store().create(product);
      const repriced = await store().reprice(product.sku, 12_500 as MinorUnits, 1);
      expect(repriced).toEqual(E.right({ ...product, price: 12_500, version: 2 }));
      const stale = await store().reprice(product.sku, 9_000 as MinorUnits, 1);
      expect(E.isLeft(stale) && stale.left.code).toBe("PRECONDITION_FAILED");
      const unknown = await store().reprice(uniqueProduct().sku, 1 as MinorUnits);
      expect(E.isLeft(unknown) && unknown.left.code).toBe("PRODUCT_NOT_FOUND");
    });

    it("answers many concurrent lookups each with its own product, and a re-price at once", async () => {
      const products = Array.from({ length: 5 }, (_, i) => uniqueProduct(1_000 * (i + 1)));
      for (const product of products) await store().create(product);
      const missing = uniqueProduct().sku;
      const asked = [...products.map((p) => p.sku), missing, ...products.map((p) => p.sku)];
      const found = await Promise.all(asked.map((sku) => store().product(sku)));
      expect(found).toEqual(
        asked.map((sku) => {
          const product = products.find((p) => p.sku === sku);
          return product === undefined ? O.none : O.some({ ...product, version: 1 });
        }),
      );
      const [first] = products;
      if (first === undefined) throw new Error("no product");
      await store().reprice(first.sku, 77 as MinorUnits);
      expect(await store().product(first.sku)).toEqual(O.some({ ...first, price: 77, version: 2 }));
    });
  });
};
