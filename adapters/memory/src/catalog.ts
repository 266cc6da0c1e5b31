import type { Catalog, Product } from "@mebel/core";
import * as O from "fp-ts/lib/Option.js";

/** A catalog held in a map: products can be added and re-priced while it is in use. */
export const createMemoryCatalog = (products: ReadonlyArray<Product> = []) => {
  const bySku = new Map(products.map((p) => [p.sku as string, p]));
  return {
    product: async (sku) => O.fromNullable(bySku.get(sku)),
    put: (product: Product) => {
      bySku.set(product.sku, product);
    },
    all: (): ReadonlyArray<Product> => [...bySku.values()],
  } satisfies Catalog & Record<string, unknown>;
};
