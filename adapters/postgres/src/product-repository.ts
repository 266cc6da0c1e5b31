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
import { coalescedLookup } from "./coalesced-lookup.js";
import type { SchemaNames } from "./schema-name.js";
import type { SqlQuery } from "./sql-client.js";

const COLUMNS = "sku, name, price::float8 AS price, version";

/**
 * The catalog's products as plain rows: state-based by design, the version bumped by every change
 * and checked when the caller names one. Rows are ours, written only through this repository.
 */
export const createPostgresProductRepository = (
  client: SqlQuery,
  { quoted: s }: SchemaNames,
): ProductRepository & Catalog => {
  const bySkus = `SELECT ${COLUMNS} FROM ${s}.products WHERE sku = ANY ($1::text[])`;
  // Every line added is priced here: concurrent lookups share one prepared statement.
  const lookup = coalescedLookup(async (skus) => {
    const rows = await client.query<StoredProduct>(bySkus, [skus], { prepare: true });
    return new Map(rows.map((row) => [row.sku, row]));
  });
  const get = async (sku: string): Promise<O.Option<StoredProduct>> =>
    O.fromNullable(await lookup(sku));
  const notFound = (sku: string): CatalogError =>
    domainError("PRODUCT_NOT_FOUND", `No product with sku ${sku}.`, { sku });

  return {
    list: () => client.query<StoredProduct>(`SELECT ${COLUMNS} FROM ${s}.products ORDER BY sku`),
    get,
    product: get,
    create: async (product: Product) => {
      const [row] = await client.query<StoredProduct>(
        `INSERT INTO ${s}.products (sku, name, price, version) VALUES ($1, $2, $3, 1)
         ON CONFLICT (sku) DO NOTHING RETURNING ${COLUMNS}`,
        [product.sku, product.name, product.price],
      );
      return row === undefined
        ? E.left(
            domainError("PRODUCT_ALREADY_EXISTS", `Product ${product.sku} already exists.`, {
              sku: product.sku,
            }),
          )
        : E.right(row);
    },
    reprice: async (sku, price, expectedVersion) => {
      const [row] = await client.query<StoredProduct>(
        `UPDATE ${s}.products SET price = $2, version = version + 1, updated_at = now()
          WHERE sku = $1 AND ($3::integer IS NULL OR version = $3::integer)
          RETURNING ${COLUMNS}`,
        [sku, price, expectedVersion ?? null],
      );
      if (row !== undefined) return E.right(row);
      const current = await get(sku);
      return O.isNone(current)
        ? E.left(notFound(sku))
        : E.left(
            domainError(
              "PRECONDITION_FAILED",
              `Product ${sku} is at version ${current.value.version}.`,
              { expected: expectedVersion, actual: current.value.version },
            ),
          );
    },
  };
};
