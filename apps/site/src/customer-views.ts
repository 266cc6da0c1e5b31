import {
  awaitView,
  type GuardedRoutes,
  linkNextPage,
  MIN_POSITION_SPEC,
  PageParams,
  pageParams,
} from "@mebel/adapter-http";
import { notificationsOfCustomer } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { Notifications, PublicOrderView } from "./answer-codecs.js";
import { pathRoute } from "./path-route.js";
import { CustomerPath, OrderPath } from "./request-codecs.js";
import { orderNotFound, publicOrderView, type SiteViews } from "./site-views.js";

/** A customer's orders (with status and timeline) and notifications, from the site's views. */
export const addCustomerViewRoutes = (routes: GuardedRoutes, views: SiteViews): void => {
  routes.get(
    "/customers/:customerId/orders",
    {
      summary: "A page of the customer's orders, newest first; the next page in the Link header",
      params: CustomerPath,
      query: t.intersection([PageParams, MIN_POSITION_SPEC.query]),
      headers: MIN_POSITION_SPEC.headers,
      responses: { 200: t.readonlyArray(PublicOrderView) },
      problems: MIN_POSITION_SPEC.problems,
    },
    pathRoute(CustomerPath, async ({ customerId }, req, res) => {
      const page = pageParams(req);
      if (E.isLeft(page)) return page;
      const caughtUp = await awaitView(req, views.orders.checkpoint);
      if (E.isLeft(caughtUp)) return caughtUp;
      const { limit, after } = page.right;
      const { views: orders, next } = await views.ordersOf(customerId, limit, after);
      // The body stays the list it always was; the next page is a link.
      linkNextPage(req, res, limit, next);
      return E.right({ body: orders.map(publicOrderView) });
    }),
  );

  routes.get(
    "/customers/:customerId/orders/:orderId",
    {
      summary: "One of the customer's orders, with its status and timeline",
      params: OrderPath,
      ...MIN_POSITION_SPEC,
      responses: { 200: PublicOrderView },
      problems: ["ORDER_NOT_FOUND", ...MIN_POSITION_SPEC.problems],
    },
    pathRoute(OrderPath, async ({ customerId, orderId }, req) => {
      const caughtUp = await awaitView(req, views.orders.checkpoint);
      if (E.isLeft(caughtUp)) return caughtUp;
      const order = await views.orders.get(orderId);
      return order?.customerId === customerId
        ? E.right({ body: publicOrderView(order) })
        : E.left(orderNotFound(orderId));
    }),
  );

  routes.get(
    "/customers/:customerId/notifications",
    {
      summary:
        "What the customer has been told, newest first, for a page of orders (`limit` orders, those first told about most recently first); the next page in the Link header",
      params: CustomerPath,
      query: t.intersection([PageParams, MIN_POSITION_SPEC.query]),
      headers: MIN_POSITION_SPEC.headers,
      responses: { 200: Notifications },
      problems: MIN_POSITION_SPEC.problems,
    },
    pathRoute(CustomerPath, async ({ customerId }, req, res) => {
      const page = pageParams(req);
      if (E.isLeft(page)) return page;
      const caughtUp = await awaitView(req, views.notifications.checkpoint);
      if (E.isLeft(caughtUp)) return caughtUp;
      const { limit, after } = page.right;
      const { views: docs, next } = await views.notificationsPageOf(customerId, limit, after);
      linkNextPage(req, res, limit, next);
      return E.right({ body: notificationsOfCustomer(docs, customerId) });
    }),
  );
};
