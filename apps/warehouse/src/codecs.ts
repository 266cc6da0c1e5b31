import { Digits, withSchema } from "@mebel/adapter-http";
import {
  CourierId,
  CustomerId,
  DeliveryAddressInput,
  IsoInstant,
  LineId,
  MinorUnits,
  OrderId,
  OrderLineRef,
  Quantity,
  Sku,
  Text,
  WarehouseStage,
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
const SkuList = withSchema(
  new t.Type<ReadonlyArray<Sku>, ReadonlyArray<string>, unknown>(
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
  ),
  {
    anyOf: [
      { type: "string", pattern: "^[A-Z0-9][A-Z0-9-]{0,63}$" },
      {
        type: "array",
        items: { type: "string", pattern: "^[A-Z0-9][A-Z0-9-]{0,63}$" },
        minItems: 1,
        maxItems: MAX_SKUS_PER_QUERY,
      },
    ],
    description: `one SKU, or the parameter repeated: 1 to ${MAX_SKUS_PER_QUERY} SKUs`,
  },
);
export const StockQuery = t.type({ sku: SkuList });

// What the routes answer (representations.ts builds them): the document and the tests check both.

export const OrderStatus = t.keyof({
  draft: null,
  placed: null,
  processing: null,
  assembled: null,
  handed_to_courier: null,
  cancelled: null,
});

export const OrderBody = t.type({
  orderId: OrderId,
  customerId: CustomerId,
  status: OrderStatus,
  lines: t.readonlyArray(
    t.type({ lineId: LineId, sku: Sku, quantity: Quantity, unitPrice: MinorUnits }),
  ),
  total: MinorUnits,
  courierId: t.union([CourierId, t.null]),
});

export const AddedItemBody = t.type({ lineId: LineId, order: OrderBody });

const Units = withSchema(
  t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, "Units"),
  { type: "integer", minimum: 0 },
);
export const StockBody = t.type({ sku: Sku, onHand: Units, reserved: Units, available: Units });

export const QueueBody = t.type({
  orders: t.readonlyArray(
    t.type({
      orderId: OrderId,
      stage: WarehouseStage,
      lines: t.readonlyArray(OrderLineRef),
      placedAt: t.union([IsoInstant, t.null]),
      updatedAt: IsoInstant,
    }),
  ),
  lag: Digits,
  /** The cursor of the next page; null on the last. */
  next: t.union([t.string, t.null]),
});
