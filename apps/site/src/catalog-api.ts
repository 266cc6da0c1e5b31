import type { Problem } from "@mebel/adapter-http";
import { Product } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { correlationHeader } from "./forwarded-headers.js";
import { createUpstream, decodeAnswer, type UpstreamOptions } from "./upstream.js";

/** What the site asks of the catalog service. */
export interface CatalogApi {
  /** Every product with its current price (`GET /products`). */
  readonly products: (correlationId?: string) => Promise<E.Either<Problem, ReadonlyArray<Product>>>;
}

const Products = t.readonlyArray(Product);

export const createCatalogApi = (options: UpstreamOptions): CatalogApi => {
  const request = createUpstream("catalog", options);
  const decode = decodeAnswer("catalog", Products);
  return {
    products: async (correlationId) =>
      E.flatMap(
        await request({
          method: "GET",
          path: "/products",
          headers: correlationHeader(correlationId),
        }),
        decode,
      ),
  };
};
