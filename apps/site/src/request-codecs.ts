import { queryInt, withSchema } from "@mebel/adapter-http";
import {
  CustomerId,
  DeliveryAddressInput,
  LineId,
  OrderId,
  Quantity,
  Sku,
  Text,
} from "@mebel/core";
import * as t from "io-ts";
import { STOCK_QUERY_LIMIT } from "./warehouse-api.js";

export const CustomerPath = t.type({ customerId: CustomerId });
export type CustomerPath = t.TypeOf<typeof CustomerPath>;

export const OrderPath = t.type({ customerId: CustomerId, orderId: OrderId });
export type OrderPath = t.TypeOf<typeof OrderPath>;

export const LinePath = t.type({ customerId: CustomerId, orderId: OrderId, lineId: LineId });
export type LinePath = t.TypeOf<typeof LinePath>;

// Exact: only the fields the warehouse takes are passed on, whatever else a client sends.
export const AddItemBody = t.exact(t.type({ sku: Sku, quantity: Quantity }));
/** The structured address, or for a deprecation period the old string (then all `line`). */
export const PlaceBody = t.exact(t.type({ deliveryAddress: DeliveryAddressInput }));
export const CancelBody = t.exact(t.type({ reason: Text }));

const isEmptyObject = (u: unknown): boolean =>
  typeof u === "object" && u !== null && !Array.isArray(u) && Object.keys(u).length === 0;

/** For commands that take no body: none, or `{}`, and nothing else. */
export const NoBody = withSchema(
  new t.Type<undefined, undefined, unknown>(
    "no body",
    (u): u is undefined => u === undefined,
    (u, c) => (u === undefined || isEmptyObject(u) ? t.success(undefined) : t.failure(u, c)),
    () => undefined,
  ),
  { type: "object", maxProperties: 0, description: "none, or `{}`" },
);

/** A page of the listing: each page is checked live against the warehouse in one request. */
export const ProductsQuery = t.exact(
  t.partial({
    offset: queryInt(0, 1_000_000),
    limit: queryInt(1, STOCK_QUERY_LIMIT),
  }),
);

const IdempotencyKey = withSchema(
  t.refinement(
    t.string,
    (s) => /^[\x21-\x7e]{1,255}$/.test(s),
    "1 to 255 visible ASCII characters",
  ),
  { type: "string", pattern: "^[\\x21-\\x7e]{1,255}$" },
);

/** Headers the site passes on; the warehouse reads If-Match itself (see `parseIfMatch`). */
export const CommandHeaders = t.partial({ "idempotency-key": IdempotencyKey });
