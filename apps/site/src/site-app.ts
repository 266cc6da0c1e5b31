import {
  createHttpApp,
  finishHttpApp,
  type HealthSources,
  healthRoutes,
  type Logger,
} from "@mebel/adapter-http";
import type { Position, ReadModelStore } from "@mebel/core";
import type { Express } from "express";
import type { CatalogApi } from "./catalog-api.js";
import type { ChangeFeed } from "./change-feed.js";
import { addCustomerCommandRoutes } from "./customer-commands.js";
import { customerEvents } from "./customer-events.js";
import { addCustomerViewRoutes } from "./customer-views.js";
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
}

/** The site: customers' reads from its own views, their commands forwarded to the warehouse. */
export const createSiteApp = (deps: SiteAppDeps): Express => {
  const app = createHttpApp({ logger: deps.logger });
  const views = siteViews(deps.readModels);
  const health = healthRoutes(deps.health);
  app.get("/health", health.health);
  app.get("/ready", health.ready);
  app.get("/products", productListing({ ...deps, views }));
  addCustomerViewRoutes(app, views);
  app.get("/customers/:customerId/events", customerEvents({ ...deps, views }));
  addCustomerCommandRoutes(app, { ...deps, views });
  return finishHttpApp(app, deps.logger);
};
