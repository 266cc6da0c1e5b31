import {
  type Catalog,
  type CatalogError,
  domainError,
  type Product,
  type ProductRepository,
  type StoredProduct,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";

/** The catalog in a map: a ProductRepository for the catalog service, a Catalog for the rest. */
export const createMemoryCatalog = (
  products: ReadonlyArray<Product> = [],
): ProductRepository & Catalog => {
  const bySku = new Map<string, StoredProduct>(products.map((p) => [p.sku, { ...p, version: 1 }]));
  const notFound = (sku: string): CatalogError =>
    domainError("PRODUCT_NOT_FOUND", `No product with sku ${sku}.`, { sku });
  return {
    list: async () => [...bySku.values()].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
    get: async (sku) => O.fromNullable(bySku.get(sku)),
    product: async (sku) => O.fromNullable(bySku.get(sku)),
    create: async (product) => {
      if (bySku.has(product.sku)) {
        return E.left(
          domainError("PRODUCT_ALREADY_EXISTS", `Product ${product.sku} already exists.`, {
            sku: product.sku,
          }),
        );
      }
      const stored = { ...product, version: 1 };
      bySku.set(product.sku, stored);
      return E.right(stored);
    },
    reprice: async (sku, price, expectedVersion) => {
      const current = bySku.get(sku);
      if (current === undefined) return E.left(notFound(sku));
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        return E.left(
          domainError("PRECONDITION_FAILED", `Product ${sku} is at version ${current.version}.`, {
            expected: expectedVersion,
            actual: current.version,
          }),
        );
      }
      const next = { ...current, price, version: current.version + 1 };
      bySku.set(sku, next);
      return E.right(next);
    },
  };
};
