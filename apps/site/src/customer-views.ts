import type { GuardedRoutes } from "@mebel/adapter-http";
import { notificationsOfCustomer, ordersOfCustomer } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { pathRoute } from "./path-route.js";
import { CustomerPath, OrderPath } from "./request-codecs.js";
import { orderNotFound, publicOrderView, type SiteViews } from "./site-views.js";

/** A customer's orders (with status and timeline) and notifications, from the site's views. */
export const addCustomerViewRoutes = (routes: GuardedRoutes, views: SiteViews): void => {
  routes.get(
    "/customers/:customerId/orders",
    pathRoute(CustomerPath, async ({ customerId }) => {
      const orders = ordersOfCustomer((await views.orders.all()).values(), customerId);
      return E.right({ body: orders.map(publicOrderView) });
    }),
  );

  routes.get(
    "/customers/:customerId/orders/:orderId",
    pathRoute(OrderPath, async ({ customerId, orderId }) => {
      const order = await views.orders.get(orderId);
      return order?.customerId === customerId
        ? E.right({ body: publicOrderView(order) })
        : E.left(orderNotFound(orderId));
    }),
  );

  routes.get(
    "/customers/:customerId/notifications",
    pathRoute(CustomerPath, async ({ customerId }) =>
      E.right({
        body: notificationsOfCustomer((await views.notifications.all()).values(), customerId),
      }),
    ),
  );
};
