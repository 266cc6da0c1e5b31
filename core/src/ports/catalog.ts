import type { Either } from "fp-ts/lib/Either.js";
import type { Option } from "fp-ts/lib/Option.js";
import * as t from "io-ts";
import { MinorUnits, Sku } from "../shared/codecs.js";
import type { DomainError } from "../shared/domain-error.js";

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

/** A product as stored, with a version that every change bumps (the catalog's ETag). */
export interface StoredProduct extends Product {
  readonly version: number;
}

export type CatalogError = DomainError<
  "PRODUCT_NOT_FOUND" | "PRODUCT_ALREADY_EXISTS" | "PRECONDITION_FAILED"
>;

/**
 * The catalog's own store: state-based, not event-sourced (other contexts only ever ask it for
 * current data). Changes check the version the caller saw when it names one.
 */
export interface ProductRepository {
  readonly list: () => Promise<ReadonlyArray<StoredProduct>>;
  readonly get: (sku: Sku) => Promise<Option<StoredProduct>>;
  readonly create: (product: Product) => Promise<Either<CatalogError, StoredProduct>>;
  readonly reprice: (
    sku: Sku,
    price: MinorUnits,
    expectedVersion?: number,
  ) => Promise<Either<CatalogError, StoredProduct>>;
}
