import {
  API_VERSION,
  addApiDocsRoutes,
  createHttpApp,
  finishHttpApp,
  type Guard,
  guardedRoutes,
  HEALTH_SPEC,
  type HealthSources,
  healthRoutes,
  type Logger,
  METRICS_SPEC,
  metricsEndpoint,
  READY_SPEC,
  type Telemetry,
} from "@mebel/adapter-http";
import type { AccountStore, Position, ReadModelStore } from "@mebel/core";
import type { Express } from "express";
import { addAdminAccountRoutes } from "./admin/account-routes.js";
import { addAdminMailRoutes, type MailAdminDeps } from "./admin/mail-routes.js";
import { ProductsPage } from "./answer-codecs.js";
import type { CatalogApi } from "./catalog-api.js";
import type { ChangeFeed } from "./change-feed.js";
import { addCustomerCommandRoutes } from "./customer-commands.js";
import { customerEvents } from "./customer-events.js";
import { addCustomerViewRoutes } from "./customer-views.js";
import { addIssuerRoutes, addSessionRoutes, type IssuerDeps } from "./identity/identity-routes.js";
import { createTickets, type Tickets } from "./identity/tickets.js";
import { addMailPreferenceRoutes, type MailPreferencesDeps } from "./mail-preferences.js";
import { productEvents } from "./product-events.js";
import { productListing } from "./product-listing.js";
import { CustomerPath, ProductsQuery } from "./request-codecs.js";
import { siteViews } from "./site-views.js";
import { staffEvents } from "./staff-events.js";
import type { WarehouseApi } from "./warehouse-api.js";

export interface SiteAppDeps {
  /** The process's metrics and tracing (one per process); a default one when absent. */
  readonly telemetry?: Telemetry;
  readonly readModels: ReadModelStore;
  readonly changes: ChangeFeed;
  readonly warehouse: WarehouseApi;
  readonly catalog: CatalogApi;
  readonly logger: Logger;
  readonly health: HealthSources;
  /** The event store's head: how far behind the views are is measured against it. */
  readonly head: () => Promise<Position | undefined>;
  /** Origins whose pages may call it from a browser (CORS); none by default. */
  readonly corsOrigins?: ReadonlyArray<string>;
  /** Who is calling: the verifier of access tokens. */
  readonly guard: Guard;
  /** The embedded issuer; absent when an external provider issues the tokens. */
  readonly issuer?: IssuerDeps;
  /** Accounts, for `/auth/me`: the issuer's, when it runs. */
  readonly accounts?: AccountStore;
  /** The live feed's single-use tickets (one set per instance). */
  readonly tickets?: Tickets;
  /** Customers' choices about e-mail, where this site runs the mail. */
  readonly mailPreferences?: MailPreferencesDeps;
  /** Failed customers' e-mail, and sending it again, where this site runs the mail. */
  readonly mailAdmin?: MailAdminDeps;
}

/** The site: customers' reads from its own views, their commands forwarded to the warehouse. */
export const createSiteApp = (deps: SiteAppDeps): Express => {
  const app = createHttpApp({
    logger: deps.logger,
    service: "site",
    ...(deps.telemetry === undefined ? {} : { telemetry: deps.telemetry }),
    ...(deps.corsOrigins === undefined ? {} : { corsOrigins: deps.corsOrigins }),
  });
  const views = siteViews(deps.readModels);
  const tickets = deps.tickets ?? createTickets();
  const routes = guardedRoutes(app.router, "site", { ...deps.guard, redeemTicket: tickets.redeem });
  const health = healthRoutes(deps.health);
  routes.get("/health", HEALTH_SPEC, health.health);
  routes.get("/ready", READY_SPEC, health.ready);
  routes.get("/metrics", METRICS_SPEC, metricsEndpoint(deps.telemetry, deps.health));
  routes.get(
    "/products",
    {
      summary: "A page of products with the availability view's figures and the live ones (R1)",
      query: ProductsQuery,
      responses: { 200: ProductsPage },
      problems: ["UPSTREAM_UNAVAILABLE", "BAD_GATEWAY"],
    },
    productListing({ ...deps, views }),
  );
  routes.get(
    "/products/events",
    {
      summary: "Anyone's live feed of availability: server-sent `availability` events",
      responses: { 200: { contentType: "text/event-stream" } },
      problems: ["TOO_MANY_STREAMS"],
    },
    productEvents(deps),
  );
  if (deps.issuer !== undefined) addIssuerRoutes(routes, deps.issuer);
  addSessionRoutes(routes, {
    tickets,
    ...(deps.accounts === undefined ? {} : { accounts: deps.accounts }),
  });
  if (deps.accounts !== undefined) {
    addAdminAccountRoutes(routes, { accounts: deps.accounts, logger: deps.logger });
  }
  addCustomerViewRoutes(routes, views);
  routes.get(
    "/customers/:customerId/events",
    {
      summary: "The customer's live feed: server-sent `order` and `notification` events",
      params: CustomerPath,
      responses: { 200: { contentType: "text/event-stream" } },
    },
    customerEvents({ ...deps, views }),
  );
  routes.get(
    "/staff/events",
    {
      summary: "The warehouse's live feed: server-sent `order` (the queue) and `stock` events",
      responses: { 200: { contentType: "text/event-stream" } },
      problems: ["TOO_MANY_STREAMS"],
    },
    staffEvents(deps),
  );
  addCustomerCommandRoutes(routes, { ...deps, views });
  if (deps.mailPreferences !== undefined) addMailPreferenceRoutes(routes, deps.mailPreferences);
  if (deps.mailAdmin !== undefined) {
    addAdminMailRoutes(routes, { ...deps.mailAdmin, logger: deps.logger });
  }
  addApiDocsRoutes(routes, app, {
    title: "Mebel site",
    description:
      "The customers' API: sign-in, products with availability, their orders, notifications and live feed.",
    version: API_VERSION,
  });
  return finishHttpApp(app, deps.logger);
};
