import { MinorUnits, Product, Sku } from "@mebel/core";
import * as t from "io-ts";

// Exact codecs: fields a client adds that the catalog does not know are dropped, never stored.

export const SkuPath = t.type({ sku: Sku });

export const NewProduct = t.exact(Product);

export const Reprice = t.exact(t.type({ price: MinorUnits }));
