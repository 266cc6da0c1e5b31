import { type HealthSources, type Listening, listen } from "@mebel/adapter-http";
import { systemClock, uuids } from "@mebel/adapter-memory";
import { createCatalogApp, httpCatalog } from "@mebel/catalog";
import {
  availabilityProjection,
  type Catalog,
  type Courier,
  mailPreferencesOf,
  notificationsProjection,
  orderViewProjection,
  type SubscriberStatus,
} from "@mebel/core";
import { createDeliveryApp, deliverySubscribers, startDeliverySweeper } from "@mebel/delivery";
import {
  createCatalogApi,
  createSiteApp,
  createWarehouseApi,
  type SiteReadModels,
  startSiteReadModels,
} from "@mebel/site";
import { createWarehouseApp, startWarehouseSweeper, warehouseSubscribers } from "@mebel/warehouse";
import { withWebApp } from "@mebel/web";
import { startMail } from "./mail.js";
import { type Shared, startOnce } from "./prepare.js";

/** A service as it runs: where it listens, and how to stop it and what runs beside it. */
export interface RunningService {
  readonly name: string;
  readonly url: string;
  readonly status: () => ReadonlyArray<SubscriberStatus>;
  readonly stop: () => Promise<void>;
}

const health = (shared: Shared, status: () => ReadonlyArray<SubscriberStatus>): HealthSources => ({
  subscribers: status,
  head: shared.infra.store.head,
  checkpointAges: shared.infra.readModels.checkpointAges,
  connections: shared.infra.connections,
});

/**
 * Stopping drains HTTP first (requests in flight are answered, for up to the grace), then stops
 * the sweeper and the subscribers, each after the batch in hand; their locks are released as
 * they stop.
 */
const running = (
  name: string,
  server: Listening,
  status: () => ReadonlyArray<SubscriberStatus>,
  stops: ReadonlyArray<() => Promise<void>>,
  graceMs: number,
): RunningService => ({
  name,
  url: server.url,
  status,
  stop: async () => {
    await server.close(graceMs);
    for (const stop of stops) await stop();
  },
});

export const startCatalogService = async (
  shared: Shared,
  port: number,
): Promise<RunningService> => {
  const logger = shared.logger.child({ service: "catalog" });
  const app = createCatalogApp({
    products: shared.infra.products,
    idempotency: shared.infra.idempotency,
    logger,
    telemetry: shared.telemetry,
    health: health(shared, () => []),
    guard: shared.access.guard,
    corsOrigins: shared.access.corsOrigins,
  });
  return running(
    "catalog",
    await listen(app, port, shared.settings.host),
    () => [],
    [],
    shared.settings.shutdownGraceMs,
  );
};

export const startWarehouseService = async (
  shared: Shared,
  port: number,
  catalog: Catalog,
): Promise<RunningService> => {
  const logger = shared.logger.child({ service: "warehouse" });
  const subscribers = startOnce(
    shared,
    warehouseSubscribers.projections,
    warehouseSubscribers.processes,
  );
  const sweeper = startWarehouseSweeper({
    readModels: shared.infra.readModels,
    bus: shared.bus,
    clock: systemClock,
    intervalMs: shared.settings.sweepIntervalMs,
    orphanGraceMs: shared.settings.orphanGraceMs,
    logger,
    observer: shared.telemetry.observer,
  });
  const app = createWarehouseApp({
    bus: shared.bus,
    store: shared.infra.store,
    catalog,
    readModels: shared.infra.readModels,
    idempotency: shared.infra.idempotency,
    ids: uuids,
    logger,
    telemetry: shared.telemetry,
    health: { ...health(shared, subscribers.status), sweeps: () => [sweeper.status()] },
    cache: shared.cache,
    guard: shared.access.guard,
    corsOrigins: shared.access.corsOrigins,
  });
  return running(
    "warehouse",
    await listen(app, port, shared.settings.host),
    subscribers.status,
    [sweeper.stop, subscribers.stop],
    shared.settings.shutdownGraceMs,
  );
};

export const startDeliveryService = async (
  shared: Shared,
  port: number,
  couriers: ReadonlyArray<Courier>,
): Promise<RunningService> => {
  const logger = shared.logger.child({ service: "delivery" });
  const set = deliverySubscribers(couriers, shared.settings.slots);
  const subscribers = startOnce(shared, set.projections, set.processManagers);
  const sweeper = startDeliverySweeper({
    readModels: shared.infra.readModels,
    store: shared.infra.store,
    bus: shared.bus,
    clock: systemClock,
    intervalMs: shared.settings.sweepIntervalMs,
    graceMs: shared.settings.deliveryGraceMs,
    logger,
    observer: shared.telemetry.observer,
  });
  const app = createDeliveryApp({
    bus: shared.bus,
    store: shared.infra.store,
    readModels: shared.infra.readModels,
    idempotency: shared.infra.idempotency,
    couriers,
    slotPolicy: shared.settings.slots,
    logger,
    telemetry: shared.telemetry,
    health: { ...health(shared, subscribers.status), sweeps: () => [sweeper.status()] },
    guard: shared.access.guard,
    corsOrigins: shared.access.corsOrigins,
  });
  return running(
    "delivery",
    await listen(app, port, shared.settings.host),
    subscribers.status,
    [sweeper.stop, subscribers.stop],
    shared.settings.shutdownGraceMs,
  );
};

/**
 * The site's views feed its server-sent events, so the site runs them itself: started before the
 * other services of the process, which then skip them and read the same documents.
 */
export const startSiteViews = (shared: Shared): SiteReadModels => {
  const views = startSiteReadModels({
    store: shared.infra.store,
    readModels: shared.infra.readModels,
    clock: systemClock,
    locks: shared.infra.locks,
    logger: shared.logger.child({ service: "site" }),
    observer: shared.telemetry.observer,
  });
  for (const projection of siteProjections) shared.running.add(projection.name);
  return views;
};

export const startSiteService = async (
  shared: Shared,
  views: SiteReadModels,
  port: number,
  upstream: {
    readonly warehouseUrl: string;
    readonly catalogUrl: string;
    readonly deliveryUrl?: string;
  },
): Promise<RunningService> => {
  const logger = shared.logger.child({ service: "site" });
  // Customers' e-mail runs beside the site, which owns their accounts.
  const mail = await startMail(shared);
  const status = (): ReadonlyArray<SubscriberStatus> => [
    ...views.status(),
    ...(mail?.status().slice(0, 1) ?? []),
  ];
  const app = createSiteApp({
    readModels: shared.infra.readModels,
    changes: views.changes,
    warehouse: createWarehouseApi({
      baseUrl: upstream.warehouseUrl,
      observer: shared.telemetry.observer,
    }),
    catalog: createCatalogApi({ baseUrl: upstream.catalogUrl }),
    logger,
    telemetry: shared.telemetry,
    health: {
      ...health(shared, status),
      ...(mail === undefined ? {} : { sweeps: () => mail.status().slice(1), outbox: mail.figures }),
    },
    head: shared.infra.store.head,
    guard: shared.access.guard,
    corsOrigins: shared.access.corsOrigins,
    accounts: shared.infra.accounts,
    ...(shared.access.issuer === undefined ? {} : { issuer: shared.access.issuer }),
    mailPreferences: {
      of: (customerId) => mailPreferencesOf(shared.infra.store, customerId),
      set: shared.bus.mailPreferences,
      accounts: shared.infra.accounts,
    },
    ...(mail === undefined ? {} : { mailAdmin: mail.admin }),
  });
  // The browser app in front of the site's routes, reaching the other services through it.
  const { host, ports } = shared.settings;
  const web = withWebApp(app, {
    upstreams: {
      warehouse: upstream.warehouseUrl,
      catalog: upstream.catalogUrl,
      delivery: upstream.deliveryUrl ?? `http://${host}:${ports.delivery}`,
    },
  });
  return running(
    "site",
    await listen(web, port, host),
    status,
    [views.stop, ...(mail === undefined ? [] : [mail.stop])],
    shared.settings.shutdownGraceMs,
  );
};

const siteProjections = [orderViewProjection, notificationsProjection, availabilityProjection];

/**
 * Every service in this process, as `npm start` runs them: the site's views first (the others
 * then skip them), and the warehouse reading the catalog's store directly (same data, no hop).
 */
export const startAllServices = async (
  shared: Shared,
  couriers: ReadonlyArray<Courier>,
): Promise<ReadonlyArray<RunningService>> => {
  const { ports } = shared.settings;
  const views = startSiteViews(shared);
  const catalog = await startCatalogService(shared, ports.catalog);
  const warehouse = await startWarehouseService(shared, ports.warehouse, shared.infra.products);
  const delivery = await startDeliveryService(shared, ports.delivery, couriers);
  const site = await startSiteService(shared, views, ports.site, {
    warehouseUrl: warehouse.url,
    catalogUrl: catalog.url,
    deliveryUrl: delivery.url,
  });
  return [site, catalog, warehouse, delivery];
};

export { httpCatalog };
