import type { GuardedRoutes } from "@mebel/adapter-http";
import { notificationsOfCustomer, ordersOfCustomer } from "@mebel/core";
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
      summary: "The customer's orders, newest first, from the order view",
      params: CustomerPath,
      responses: { 200: t.readonlyArray(PublicOrderView) },
    },
    pathRoute(CustomerPath, async ({ customerId }) => {
      const orders = ordersOfCustomer((await views.orders.all()).values(), customerId);
      return E.right({ body: orders.map(publicOrderView) });
    }),
  );

  routes.get(
    "/customers/:customerId/orders/:orderId",
    {
      summary: "One of the customer's orders, with its status and timeline",
      params: OrderPath,
      responses: { 200: PublicOrderView },
      problems: ["ORDER_NOT_FOUND"],
    },
    pathRoute(OrderPath, async ({ customerId, orderId }) => {
      const order = await views.orders.get(orderId);
      return order?.customerId === customerId
        ? E.right({ body: publicOrderView(order) })
        : E.left(orderNotFound(orderId));
    }),
  );

  routes.get(
    "/customers/:customerId/notifications",
    {
      summary: "What the customer has been told about their orders",
      params: CustomerPath,
      responses: { 200: Notifications },
    },
    pathRoute(CustomerPath, async ({ customerId }) =>
      E.right({
        body: notificationsOfCustomer((await views.notifications.all()).values(), customerId),
      }),
    ),
  );
};
