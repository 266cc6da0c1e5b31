import type { Problem } from "@mebel/adapter-http";
import { CustomerId, type OrderId } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { orderNotFound, type SiteViews } from "./site-views.js";
import { decodeAnswer } from "./upstream.js";
import type { WarehouseApi } from "./warehouse-api.js";

const OrderOwner = t.type({ customerId: CustomerId });
const decodeOwner = decodeAnswer("warehouse", OrderOwner);

/**
 * Whether the order is the customer's: the order view knows once it has seen the order's creation;
 * until then (a view that trails, an order created a moment ago) the warehouse's stream decides.
 */
export const checkOwnership =
  (deps: { readonly views: SiteViews; readonly warehouse: WarehouseApi }) =>
  async (
    customerId: CustomerId,
    orderId: OrderId,
    caller: {
      readonly correlationId: string;
      readonly token: string | undefined;
      readonly traceparent?: string | undefined;
    },
  ): Promise<E.Either<Problem, void>> => {
    const owned = (owner: CustomerId): E.Either<Problem, void> =>
      owner === customerId ? E.right(undefined) : E.left(orderNotFound(orderId));

    const view = await deps.views.orders.get(orderId);
    if (view?.customerId != null) return owned(view.customerId);

    const answer = await deps.warehouse.forward({
      method: "GET",
      path: `/orders/${encodeURIComponent(orderId)}`,
      headers: caller,
    });
    if (E.isLeft(answer)) return answer;
    if (answer.right.status === 404) return E.left(orderNotFound(orderId));
    return E.flatMap(decodeOwner(answer.right), ({ customerId: owner }) => owned(owner));
  };
