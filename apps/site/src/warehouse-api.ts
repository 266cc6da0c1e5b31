import type { Problem } from "@mebel/adapter-http";
import { Sku } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { correlationHeader, type ForwardedHeaders, forwardedHeaders } from "./forwarded-headers.js";
import {
  createUpstream,
  decodeAnswer,
  type UpstreamAnswer,
  type UpstreamOptions,
} from "./upstream.js";

/** A customer's command (or a read) on its way to the warehouse. */
export interface WarehouseRequest {
  readonly method: "GET" | "POST" | "DELETE";
  readonly path: string;
  readonly body?: unknown;
  readonly headers: ForwardedHeaders;
}

/** Units of a SKU as the StockItem stream says right now (R1). */
export const LiveStock = t.type({
  sku: Sku,
  onHand: t.Int,
  reserved: t.Int,
  available: t.Int,
});
export type LiveStock = t.TypeOf<typeof LiveStock>;

/** What the site asks of the warehouse service. */
export interface WarehouseApi {
  /**
   * Sends the request and hands back whatever the warehouse answered, untouched, whatever its
   * status; a problem only when it could not be reached or did not answer in time.
   */
  readonly forward: (request: WarehouseRequest) => Promise<E.Either<Problem, UpstreamAnswer>>;
  /** Live stock of these SKUs (`GET /stock?sku=..`). */
  readonly stock: (
    skus: ReadonlyArray<Sku>,
    correlationId?: string,
  ) => Promise<E.Either<Problem, ReadonlyArray<LiveStock>>>;
}

/** The most SKUs the warehouse takes in one `GET /stock`. */
export const STOCK_QUERY_LIMIT = 50;

const chunks = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

export const createWarehouseApi = (options: UpstreamOptions): WarehouseApi => {
  const request = createUpstream("warehouse", options);
  const decodeStock = decodeAnswer("warehouse", t.readonlyArray(LiveStock));
  const stockOf = async (skus: ReadonlyArray<Sku>, correlationId: string | undefined) => {
    const query = skus.map((sku) => `sku=${encodeURIComponent(sku)}`).join("&");
    const answer = await request({
      method: "GET",
      path: `/stock?${query}`,
      headers: correlationHeader(correlationId),
    });
    return E.flatMap(answer, decodeStock);
  };
  return {
    forward: ({ method, path, body, headers }) =>
      request({
        method,
        path,
        headers: forwardedHeaders(headers),
        ...(body === undefined ? {} : { body }),
      }),
    stock: async (skus, correlationId) => {
      const answers = await Promise.all(
        chunks(skus, STOCK_QUERY_LIMIT).map((some) => stockOf(some, correlationId)),
      );
      return E.map((parts: ReadonlyArray<ReadonlyArray<LiveStock>>) => parts.flat())(
        E.sequenceArray(answers),
      );
    },
  };
};
