import { MinorUnits, Product, ProductName, Sku } from "@mebel/core";
import * as t from "io-ts";

// Exact codecs: fields a client adds that the catalog does not know are dropped, never stored.

export const SkuPath = t.type({ sku: Sku });

export const NewProduct = t.exact(Product);

export const Reprice = t.exact(t.type({ price: MinorUnits }));

/** A product as the catalog answers it: the contract's fields and its version (also the ETag). */
export const ProductBody = t.type({
  sku: Sku,
  name: ProductName,
  price: MinorUnits,
  version: t.Int,
});
