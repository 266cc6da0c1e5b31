import type { Option } from "fp-ts/lib/Option.js";
import type { MinorUnits, Sku } from "../shared/codecs.js";

export interface Product {
  readonly sku: Sku;
  readonly name: string;
  /** Current price in minor units; an order line keeps the price of the moment it was added. */
  readonly price: MinorUnits;
}

/** The catalog context, read on request: it only has to answer with current data. */
export interface Catalog {
  readonly product: (sku: Sku) => Promise<Option<Product>>;
}
