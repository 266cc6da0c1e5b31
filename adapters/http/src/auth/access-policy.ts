import type { Role } from "@mebel/core";

export type Service = "site" | "catalog" | "warehouse" | "delivery";
export type Method = "GET" | "POST" | "DELETE";

/**
 * What a customer's or courier's token must own for a route to answer it (staff in another role
 * the route names, and admins, need not):
 * - `customer-path`: the `:customerId` of the path is the caller (else 403);
 * - `customer-body`: the `customerId` of the body is the caller (else 403);
 * - `customer-order`: the order `:orderId` is the caller's (else 404, so ids cannot be probed);
 * - `courier-delivery`: the delivery `:orderId` is assigned to the caller's courier (else 404);
 * - `courier-path`: the `:courierId` of the path is the caller's courier (else 403).
 */
export type Ownership =
  | "customer-path"
  | "customer-body"
  | "customer-order"
  | "courier-delivery"
  | "courier-path";

export type Access =
  | {
      readonly anyone: true;
      /** The route checks a credential of its own instead of a token: the refresh cookie. */
      readonly cookie?: true;
    }
  | {
      readonly anyone?: false;
      /** Roles that may call it; `admin` may call every route. */
      readonly roles: ReadonlyArray<Role>;
      readonly owner?: Ownership;
      /** Whether a single-use ticket in the query stands for a bearer token (`EventSource`). */
      readonly ticket?: boolean;
      /** Whether the bearer may be the scraper's `MEBEL_METRICS_TOKEN` instead of an access token. */
      readonly metricsToken?: boolean;
    };

export interface RoutePolicy {
  readonly service: Service;
  readonly method: Method;
  /** The Express path, exactly as the route is registered. */
  readonly path: string;
  readonly access: Access;
}

const anyone: Access = { anyone: true };
const signedIn: Access = {
  roles: ["customer", "warehouse", "dispatcher", "courier", "catalog", "admin"],
};
const only = (...roles: ReadonlyArray<Role>): Access => ({ roles });
const owned = (owner: Ownership, ...roles: ReadonlyArray<Role>): Access => ({ roles, owner });

const health = (service: Service): ReadonlyArray<RoutePolicy> => [
  { service, method: "GET", path: "/health", access: anyone },
  { service, method: "GET", path: "/ready", access: anyone },
  { service, method: "GET", path: "/metrics", access: { roles: ["admin"], metricsToken: true } },
  // The API's description is public: it tells only what the routes themselves answer anyone.
  { service, method: "GET", path: "/openapi.json", access: anyone },
  { service, method: "GET", path: "/docs", access: anyone },
  { service, method: "GET", path: "/docs/:file", access: anyone },
];

const table = (
  service: Service,
  rows: ReadonlyArray<readonly [Method, string, Access]>,
): ReadonlyArray<RoutePolicy> => [
  ...health(service),
  ...rows.map(([method, path, access]) => ({ service, method, path, access })),
];

/**
 * Who may call every route of every service: the one place access is decided. Routes are
 * registered through it (`guardedRoutes`), so a route that is not listed here cannot be served,
 * and docs/security.md is generated from it.
 */
export const ACCESS_POLICY: ReadonlyArray<RoutePolicy> = [
  ...table("site", [
    ["GET", "/products", anyone],
    // Public, and limited in open streams per address and in all.
    ["GET", "/products/events", anyone],
    ["GET", "/.well-known/jwks.json", anyone],
    ["POST", "/auth/register", anyone],
    ["POST", "/auth/login", anyone],
    // The refresh token is the credential, in its cookie.
    ["POST", "/auth/refresh", { anyone: true, cookie: true }],
    ["POST", "/auth/logout", { anyone: true, cookie: true }],
    ["GET", "/auth/me", signedIn],
    ["POST", "/auth/ticket", signedIn],
    ["GET", "/customers/:customerId/orders", owned("customer-path", "customer")],
    ["POST", "/customers/:customerId/orders", owned("customer-path", "customer")],
    ["GET", "/customers/:customerId/orders/:orderId", owned("customer-path", "customer")],
    ["POST", "/customers/:customerId/orders/:orderId/items", owned("customer-path", "customer")],
    [
      "DELETE",
      "/customers/:customerId/orders/:orderId/items/:lineId",
      owned("customer-path", "customer"),
    ],
    ["POST", "/customers/:customerId/orders/:orderId/place", owned("customer-path", "customer")],
    ["POST", "/customers/:customerId/orders/:orderId/cancel", owned("customer-path", "customer")],
    ["GET", "/customers/:customerId/notifications", owned("customer-path", "customer")],
    ["GET", "/customers/:customerId/mail-preferences", owned("customer-path", "customer")],
    ["POST", "/customers/:customerId/mail-preferences", owned("customer-path", "customer")],
    [
      "GET",
      "/customers/:customerId/events",
      { roles: ["customer"], owner: "customer-path", ticket: true },
    ],
    ["GET", "/staff/events", { roles: ["warehouse"], ticket: true }],
    ["GET", "/admin/accounts", only("admin")],
    ["POST", "/admin/accounts/:accountId/roles", only("admin")],
    ["POST", "/admin/accounts/:accountId/disable", only("admin")],
    ["POST", "/admin/accounts/:accountId/enable", only("admin")],
    // Operations: who may send a customer's failed mail again is who runs the shop's machinery.
    ["GET", "/admin/mail/failed", only("admin")],
    ["POST", "/admin/mail/:messageId/resend", only("admin")],
  ]),
  ...table("catalog", [
    ["GET", "/products", anyone],
    ["GET", "/products/:sku", anyone],
    ["POST", "/products", only("catalog")],
    ["POST", "/products/:sku/price", only("catalog")],
  ]),
  ...table("warehouse", [
    ["POST", "/orders", owned("customer-body", "customer")],
    ["GET", "/orders/:orderId", owned("customer-order", "customer", "warehouse")],
    ["POST", "/orders/:orderId/items", owned("customer-order", "customer")],
    ["DELETE", "/orders/:orderId/items/:lineId", owned("customer-order", "customer")],
    ["POST", "/orders/:orderId/place", owned("customer-order", "customer")],
    ["POST", "/orders/:orderId/cancel", owned("customer-order", "customer", "warehouse")],
    ["POST", "/orders/:orderId/start-processing", only("warehouse")],
    ["POST", "/orders/:orderId/mark-assembled", only("warehouse")],
    ["POST", "/orders/:orderId/hand-to-courier", only("warehouse")],
    ["GET", "/stock", anyone],
    ["GET", "/stock/:sku", anyone],
    ["POST", "/stock/:sku/receive", only("warehouse")],
    ["GET", "/queue", only("warehouse")],
  ]),
  ...table("delivery", [
    ["GET", "/couriers", only("dispatcher", "warehouse")],
    ["GET", "/deliveries", only("dispatcher")],
    // That the board changed (server-sent events): the board and the couriers' lists read again.
    ["GET", "/deliveries/live", only("dispatcher", "courier")],
    ["GET", "/couriers/:courierId/deliveries", owned("courier-path", "dispatcher", "courier")],
    [
      "GET",
      "/deliveries/:orderId",
      owned("courier-delivery", "dispatcher", "warehouse", "courier"),
    ],
    ["POST", "/deliveries/:orderId/assign", only("dispatcher")],
    ["POST", "/deliveries/:orderId/reassign", only("dispatcher")],
    ["POST", "/deliveries/:orderId/reschedule", only("dispatcher")],
    ["POST", "/deliveries/:orderId/rerequest", only("dispatcher")],
    ["POST", "/deliveries/:orderId/cancel", only("dispatcher")],
    ["POST", "/deliveries/:orderId/pick-up", owned("courier-delivery", "courier")],
    ["POST", "/deliveries/:orderId/complete", owned("courier-delivery", "courier")],
    ["POST", "/deliveries/:orderId/fail", owned("courier-delivery", "courier")],
  ]),
];

export const policyOf = (service: Service, method: Method, path: string): RoutePolicy | undefined =>
  ACCESS_POLICY.find((p) => p.service === service && p.method === method && p.path === path);
