import {
  createHttpApp,
  finishHttpApp,
  type Guard,
  guardedRoutes,
  type HealthSources,
  healthRoutes,
  type Logger,
} from "@mebel/adapter-http";
import type { AccountStore, Position, ReadModelStore } from "@mebel/core";
import type { Express } from "express";
import type { CatalogApi } from "./catalog-api.js";
import type { ChangeFeed } from "./change-feed.js";
import { addCustomerCommandRoutes } from "./customer-commands.js";
import { customerEvents } from "./customer-events.js";
import { addCustomerViewRoutes } from "./customer-views.js";
import { addIssuerRoutes, addSessionRoutes, type IssuerDeps } from "./identity/identity-routes.js";
import { createTickets, type Tickets } from "./identity/tickets.js";
import { addMailPreferenceRoutes, type MailPreferencesDeps } from "./mail-preferences.js";
import { productListing } from "./product-listing.js";
import { siteViews } from "./site-views.js";
import type { WarehouseApi } from "./warehouse-api.js";

export interface SiteAppDeps {
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
}

/** The site: customers' reads from its own views, their commands forwarded to the warehouse. */
export const createSiteApp = (deps: SiteAppDeps): Express => {
  const app = createHttpApp({
    logger: deps.logger,
    ...(deps.corsOrigins === undefined ? {} : { corsOrigins: deps.corsOrigins }),
  });
  const views = siteViews(deps.readModels);
  const tickets = deps.tickets ?? createTickets();
  const routes = guardedRoutes(app.router, "site", { ...deps.guard, redeemTicket: tickets.redeem });
  const health = healthRoutes(deps.health);
  routes.get("/health", health.health);
  routes.get("/ready", health.ready);
  routes.get("/products", productListing({ ...deps, views }));
  if (deps.issuer !== undefined) addIssuerRoutes(routes, deps.issuer);
  addSessionRoutes(routes, {
    tickets,
    ...(deps.accounts === undefined ? {} : { accounts: deps.accounts }),
  });
  addCustomerViewRoutes(routes, views);
  routes.get("/customers/:customerId/events", customerEvents({ ...deps, views }));
  addCustomerCommandRoutes(routes, { ...deps, views });
  if (deps.mailPreferences !== undefined) addMailPreferenceRoutes(routes, deps.mailPreferences);
  return finishHttpApp(app, deps.logger);
};
