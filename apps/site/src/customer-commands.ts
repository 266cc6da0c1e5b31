import {
  accessTokenOf,
  decodePart,
  type GuardedRoutes,
  ORDER_REFUSALS,
  parseIfMatch,
  type RouteSpec,
  requestContext,
  STOCK_REFUSALS,
  sendProblem,
} from "@mebel/adapter-http";
import type { OrderId } from "@mebel/core";
import type { Request, Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import type * as t from "io-ts";
import { RelayedAddedItem, RelayedOrder } from "./answer-codecs.js";
import { checkOwnership } from "./order-ownership.js";
import {
  AddItemBody,
  CancelBody,
  CommandHeaders,
  CustomerPath,
  LinePath,
  NoBody,
  OrderPath,
  PlaceBody,
} from "./request-codecs.js";
import type { SiteViews } from "./site-views.js";
import { type UpstreamAnswer, upstreamFailed } from "./upstream.js";
import type { WarehouseApi } from "./warehouse-api.js";

export interface CustomerCommandsDeps {
  readonly views: SiteViews;
  readonly warehouse: WarehouseApi;
}

interface Forwarding<P extends CustomerPath, B> {
  readonly method: "POST" | "DELETE";
  readonly params: t.Decoder<unknown, P>;
  readonly body: t.Decoder<unknown, B>;
  /** The warehouse's path for the command. */
  readonly target: (params: P) => string;
  readonly payload: (params: P, body: B) => unknown;
  /** The order the command acts on: it must be the customer's. */
  readonly order?: (params: P) => OrderId;
}

/** What the warehouse says about the command goes back as it is, but for these headers only. */
const RELAYED_HEADERS = [
  "content-type",
  "etag",
  "idempotent-replayed",
  "mebel-position",
  "retry-after",
] as const;

/** The warehouse's `Location: /orders/<id>` is the site's `/customers/<customer>/orders/<id>`. */
const siteLocation = (location: string | undefined, customerId: string): string | undefined => {
  const orderPath = location?.match(/^\/orders\/[^/?#]+$/)?.[0];
  return orderPath === undefined
    ? undefined
    : `/customers/${encodeURIComponent(customerId)}${orderPath}`;
};

const relay = (res: Response, answer: UpstreamAnswer, customerId: string): void => {
  // The warehouse failing is not the site failing, and not the client's fault either.
  if (answer.status >= 500) {
    sendProblem(res, upstreamFailed("warehouse", answer.status));
    return;
  }
  for (const name of RELAYED_HEADERS) {
    const value = answer.headers[name];
    if (value !== undefined) res.setHeader(name, value);
  }
  const location = siteLocation(answer.headers.location, customerId);
  if (location !== undefined) res.setHeader("Location", location);
  res.status(answer.status).send(answer.body);
};

const decodeCommand = <P extends CustomerPath, B>(spec: Forwarding<P, B>, req: Request) =>
  pipe(
    E.Do,
    E.apS("params", decodePart(spec.params, "path")(req.params)),
    E.apS(
      "headers",
      decodePart(CommandHeaders, "header")({ "idempotency-key": req.get("idempotency-key") }),
    ),
    // Checked here so a malformed tag is refused before anything is looked up.
    E.apS("ifMatch", parseIfMatch(req.get("if-match"))),
    E.apS("body", decodePart(spec.body, "body")(req.body)),
  );

/**
 * A customer command: decode it, make sure the order is the customer's, then hand it to the
 * warehouse (which decides) with the Idempotency-Key, If-Match and correlation id it came with.
 */
const forwarding =
  <P extends CustomerPath, B>(deps: CustomerCommandsDeps, spec: Forwarding<P, B>) =>
  async (req: Request, res: Response): Promise<void> => {
    const decoded = decodeCommand(spec, req);
    if (E.isLeft(decoded)) {
      sendProblem(res, decoded.left);
      return;
    }
    const { params, body, headers } = decoded.right;
    const { correlationId, traceparent } = requestContext(res);
    // The caller's own token goes on: the warehouse decides who may, never a service password.
    const token = accessTokenOf(res);
    if (spec.order !== undefined) {
      const owned = await checkOwnership(deps)(params.customerId, spec.order(params), {
        correlationId,
        token,
        traceparent,
      });
      if (E.isLeft(owned)) {
        sendProblem(res, owned.left);
        return;
      }
    }
    const answer = await deps.warehouse.forward({
      method: spec.method,
      path: spec.target(params),
      body: spec.payload(params, body),
      headers: {
        idempotencyKey: headers["idempotency-key"],
        ifMatch: req.get("if-match"),
        correlationId,
        token,
        traceparent,
      },
    });
    if (E.isLeft(answer)) sendProblem(res, answer.left);
    else relay(res, answer.right, params.customerId);
  };

const orderPath = ({ orderId }: OrderPath): string => `/orders/${encodeURIComponent(orderId)}`;
const theOrder = ({ orderId }: OrderPath): OrderId => orderId;
const asIs = <B>(_params: unknown, body: B): B => body;

/** A command the warehouse decides: what it answers comes back, its refusals too. */
const forwardedSpec = (
  summary: string,
  parts: {
    readonly params: t.Any;
    readonly body?: t.Any;
    readonly answer: readonly [number, t.Any];
  },
): RouteSpec => ({
  summary,
  params: parts.params,
  headers: CommandHeaders,
  ...(parts.body === undefined ? {} : { body: parts.body }),
  ifMatch: true,
  command: true,
  responses: { [parts.answer[0]]: parts.answer[1] },
  problems: [
    ...ORDER_REFUSALS,
    ...STOCK_REFUSALS,
    "PRODUCT_NOT_FOUND",
    "IDEMPOTENCY_KEY_IN_USE",
    "IDEMPOTENCY_KEY_REUSED",
    "UPSTREAM_UNAVAILABLE",
    "BAD_GATEWAY",
  ],
});

export const addCustomerCommandRoutes = (
  routes: GuardedRoutes,
  deps: CustomerCommandsDeps,
): void => {
  routes.post(
    "/customers/:customerId/orders",
    forwardedSpec("Starts a draft order", { params: CustomerPath, answer: [201, RelayedOrder] }),
    forwarding(deps, {
      method: "POST",
      params: CustomerPath,
      body: NoBody,
      target: () => "/orders",
      payload: ({ customerId }) => ({ customerId }),
    }),
  );
  routes.post(
    "/customers/:customerId/orders/:orderId/items",
    forwardedSpec("Adds an item: the stock is reserved, the line priced from the catalog", {
      params: OrderPath,
      body: AddItemBody,
      answer: [201, RelayedAddedItem],
    }),
    forwarding(deps, {
      method: "POST",
      params: OrderPath,
      body: AddItemBody,
      target: (p) => `${orderPath(p)}/items`,
      payload: asIs,
      order: theOrder,
    }),
  );
  routes.delete(
    "/customers/:customerId/orders/:orderId/items/:lineId",
    forwardedSpec("Removes a line of a draft order", {
      params: LinePath,
      answer: [200, RelayedOrder],
    }),
    forwarding(deps, {
      method: "DELETE",
      params: LinePath,
      body: NoBody,
      target: (p) => `${orderPath(p)}/items/${encodeURIComponent(p.lineId)}`,
      payload: asIs,
      order: theOrder,
    }),
  );
  routes.post(
    "/customers/:customerId/orders/:orderId/place",
    forwardedSpec("Places the order for delivery to an address", {
      params: OrderPath,
      body: PlaceBody,
      answer: [200, RelayedOrder],
    }),
    forwarding(deps, {
      method: "POST",
      params: OrderPath,
      body: PlaceBody,
      target: (p) => `${orderPath(p)}/place`,
      payload: asIs,
      order: theOrder,
    }),
  );
  routes.post(
    "/customers/:customerId/orders/:orderId/cancel",
    forwardedSpec("Cancels the order before it is handed to a courier", {
      params: OrderPath,
      body: CancelBody,
      answer: [200, RelayedOrder],
    }),
    forwarding(deps, {
      method: "POST",
      params: OrderPath,
      body: CancelBody,
      target: (p) => `${orderPath(p)}/cancel`,
      payload: asIs,
      order: theOrder,
    }),
  );
};
