import {
  CourierId,
  CustomerId,
  DeliveryAddressInput,
  LineId,
  OrderId,
  Quantity,
  Sku,
  Text,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";

// What each route reads of a request. Bodies are exact: fields the API does not know are dropped.

export const OrderPath = t.type({ orderId: OrderId });
export const LinePath = t.type({ orderId: OrderId, lineId: LineId });
export const SkuPath = t.type({ sku: Sku });

/** A part of the request the route does not read. */
export const Ignored = t.unknown;
export const NewOrder = t.exact(t.type({ customerId: CustomerId }));
export const NewItem = t.exact(t.type({ sku: Sku, quantity: Quantity }));
/** The structured address, or for a deprecation period the old string (then all `line`). */
export const Placement = t.exact(t.type({ deliveryAddress: DeliveryAddressInput }));
export const Handover = t.exact(t.type({ courierId: CourierId }));
export const Cancellation = t.exact(t.type({ reason: Text }));
export const Receipt = t.exact(t.type({ quantity: Quantity }));

export const MAX_SKUS_PER_QUERY = 50;

/**
 * `?sku=A&sku=B`: a query string gives one value as a string and several as an array. Either way,
 * 1 to MAX_SKUS_PER_QUERY distinct SKUs.
 */
const SkuList = new t.Type<ReadonlyArray<Sku>, ReadonlyArray<string>, unknown>(
  `1 to ${MAX_SKUS_PER_QUERY} SKUs`,
  (u): u is ReadonlyArray<Sku> => t.readonlyArray(Sku).is(u),
  (u, context) => {
    const many = t.readonlyArray(Sku).validate(typeof u === "string" ? [u] : u, context);
    if (E.isLeft(many)) return many;
    const distinct = [...new Set(many.right)];
    return distinct.length >= 1 && distinct.length <= MAX_SKUS_PER_QUERY
      ? t.success(distinct)
      : t.failure(u, context);
  },
  (skus) => skus,
);
export const StockQuery = t.type({ sku: SkuList });
