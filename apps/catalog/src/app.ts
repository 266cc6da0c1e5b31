import {
  createHttpApp,
  finishHttpApp,
  type HealthSources,
  healthRoutes,
  idempotency,
  type Logger,
} from "@mebel/adapter-http";
import type { IdempotencyStore, ProductRepository } from "@mebel/core";
import type { Express } from "express";
import { productsRouter } from "./routes/products.js";

export interface CatalogAppDeps {
  readonly products: ProductRepository;
  readonly idempotency: IdempotencyStore;
  readonly logger: Logger;
  /** The catalog is state-based and runs no subscribers; a composition may still report some. */
  readonly health?: HealthSources;
}

const nothingToReport: HealthSources = { subscribers: () => [], head: async () => undefined };

/** The catalog service: products, read by the other contexts on request. */
export const createCatalogApp = (deps: CatalogAppDeps): Express => {
  const app = createHttpApp({ logger: deps.logger });
  const health = healthRoutes(deps.health ?? nothingToReport);
  app.get("/health", health.health);
  app.get("/ready", health.ready);
  app.use(idempotency(deps.idempotency, deps.logger));
  app.use(productsRouter(deps.products));
  return finishHttpApp(app, deps.logger);
};
