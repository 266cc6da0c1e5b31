import type { Option } from "fp-ts/lib/Option.js";
import * as t from "io-ts";
import { MinorUnits, Sku } from "../shared/codecs.js";

export interface ProductNameBrand {
  readonly ProductName: unique symbol;
}
export const ProductName = t.brand(
  t.string,
  (s): s is t.Branded<string, ProductNameBrand> => s.trim().length > 0 && s.length <= 200,
  "ProductName",
);

export const Product = t.type({
  sku: Sku,
  name: ProductName,
  /** Current price in minor units; an order line keeps the price of the moment it was added. */
  price: MinorUnits,
});
export type Product = t.TypeOf<typeof Product>;

/** The catalog context, read on request: it only has to answer with current data. */
export interface Catalog {
  readonly product: (sku: Sku) => Promise<Option<Product>>;
}
