import { Digits } from "@mebel/adapter-http";
import {
  CourierId,
  CustomerId,
  Email,
  LineId,
  MinorUnits,
  Notification,
  OrderId,
  OrderView,
  Quantity,
  Role,
  Sku,
} from "@mebel/core";
import * as t from "io-ts";

// What the site's routes answer: the OpenAPI document and the tests' check of every answer use these.

/** An order view as a customer sees it: without the projection's bookkeeping of revisions. */
const { revisions: _revisions, ...publicView } = OrderView.props;
export const PublicOrderView = t.type(publicView);

export const ProductsPage = t.type({
  products: t.readonlyArray(
    t.type({
      sku: Sku,
      name: t.string,
      price: MinorUnits,
      /** From the availability view, which may lag by `lag` events. */
      available: t.number,
      /** What the StockItem stream says now; null when the warehouse could not be asked. */
      availableLive: t.union([t.number, t.null]),
    }),
  ),
  total: t.number,
  offset: t.number,
  limit: t.number,
  lag: Digits,
});

export const Notifications = t.readonlyArray(Notification);

/** The warehouse's order, relayed as the warehouse answered it (its own document has the detail). */
export const RelayedOrder = t.type({
  orderId: OrderId,
  customerId: CustomerId,
  status: t.string,
  lines: t.readonlyArray(
    t.type({ lineId: LineId, sku: Sku, quantity: Quantity, unitPrice: MinorUnits }),
  ),
  total: MinorUnits,
  courierId: t.union([CourierId, t.null]),
});
export const RelayedAddedItem = t.type({ lineId: LineId, order: RelayedOrder });

export const Session = t.type({
  accessToken: t.string,
  tokenType: t.literal("Bearer"),
  expiresIn: t.number,
});

export const Me = t.intersection([
  t.type({
    id: t.string,
    email: t.union([Email, t.null]),
    name: t.union([t.string, t.null]),
    roles: t.readonlyArray(Role),
  }),
  t.partial({ courierId: CourierId }),
]);

export const Ticket = t.type({ ticket: t.string, expiresIn: t.number });

export const Jwks = t.type({ keys: t.readonlyArray(t.UnknownRecord) });
