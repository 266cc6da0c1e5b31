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
  idempotency,
  type Logger,
  METRICS_SPEC,
  metricsEndpoint,
  READY_SPEC,
  type Telemetry,
} from "@mebel/adapter-http";
import type { IdempotencyStore, ProductRepository } from "@mebel/core";
import type { Express } from "express";
import { addProductRoutes } from "./routes/products.js";

export interface CatalogAppDeps {
  /** The process's metrics and tracing (one per process); a default one when absent. */
  readonly telemetry?: Telemetry;
  readonly products: ProductRepository;
  readonly idempotency: IdempotencyStore;
  readonly logger: Logger;
  /** Origins whose pages may call it from a browser (CORS); none by default. */
  readonly corsOrigins?: ReadonlyArray<string>;
  /** Who is calling: the verifier of access tokens. */
  readonly guard: Guard;
  /** The catalog is state-based and runs no subscribers; a composition may still report some. */
  readonly health?: HealthSources;
}

const nothingToReport: HealthSources = { subscribers: () => [], head: async () => undefined };

/** The catalog service: products, read by the other contexts on request. */
export const createCatalogApp = (deps: CatalogAppDeps): Express => {
  const app = createHttpApp({
    logger: deps.logger,
    service: "catalog",
    ...(deps.telemetry === undefined ? {} : { telemetry: deps.telemetry }),
    ...(deps.corsOrigins === undefined ? {} : { corsOrigins: deps.corsOrigins }),
  });
  const routes = guardedRoutes(app.router, "catalog", deps.guard, {
    after: [idempotency(deps.idempotency, deps.logger)],
  });
  const health = healthRoutes(deps.health ?? nothingToReport);
  routes.get("/health", HEALTH_SPEC, health.health);
  routes.get("/ready", READY_SPEC, health.ready);
  routes.get(
    "/metrics",
    METRICS_SPEC,
    metricsEndpoint(deps.telemetry, deps.health ?? nothingToReport),
  );
  addProductRoutes(routes, deps.products);
  addApiDocsRoutes(routes, app, {
    title: "Mebel catalog",
    description: "Products and their prices: the assortment the other contexts read on request.",
    version: API_VERSION,
  });
  return finishHttpApp(app, deps.logger);
};
