import { domainProblem, etagOf, type Problem, type Reply } from "@mebel/adapter-http";
import {
  available,
  domainError,
  type ExistingOrder,
  type OrderId,
  type OrderState,
  orderTotal,
  type Sku,
  type StateAt,
  type StockItemState,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";

/** How the API shows resources: what the contract names, nothing of the internal state beside. */

export const orderNotFound = (orderId: OrderId): Problem =>
  domainProblem(domainError("ORDER_NOT_FOUND", `Order ${orderId} does not exist.`, { orderId }));

export const orderBody = (order: ExistingOrder) => ({
  orderId: order.orderId,
  customerId: order.customerId,
  status: order.status,
  lines: Object.entries(order.lines).map(([lineId, { sku, quantity, unitPrice }]) => ({
    lineId,
    sku,
    quantity,
    unitPrice,
  })),
  total: orderTotal(order.lines),
  courierId: order.courierId,
});

/** An order at a revision as a reply with its ETag; an order that does not exist as a 404. */
export const orderReply = (
  orderId: OrderId,
  { state, revision }: StateAt<OrderState>,
  reply: Pick<Reply, "status" | "location"> = {},
): E.Either<Problem, Reply> =>
  state.status === "none"
    ? E.left(orderNotFound(orderId))
    : E.right({ ...reply, body: orderBody(state), etag: etagOf(revision) });

/** Live stock of one SKU; one that never had stock has none (revision -1). */
export const stockBody = (sku: Sku, state: StockItemState) => ({
  sku,
  onHand: state.onHand,
  reserved: state.reserved,
  available: available(state),
});

export const stockReply = (sku: Sku, { state, revision }: StateAt<StockItemState>): Reply => ({
  body: stockBody(sku, state),
  etag: etagOf(revision),
});
