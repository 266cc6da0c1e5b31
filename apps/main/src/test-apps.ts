import {
  createLogger,
  createTokenSigner,
  type Listening,
  listen,
  registeredRoutes,
  type Service,
} from "@mebel/adapter-http";
import {
  TEST_AUDIENCE,
  TEST_ISSUER,
  type TestIssuer,
  testIssuer,
} from "@mebel/adapter-http/testing";
import {
  createMemoryAccountStore,
  createMemoryCatalog,
  createMemoryEventStore,
  createMemoryIdempotencyStore,
  createMemoryOutbox,
  createMemoryReadModelStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import { createCatalogApp } from "@mebel/catalog";
import {
  type CommandBus,
  commandBus,
  createCommandHandler,
  mailPreferencesOf,
  type Outbox,
  Product,
  resendMail,
  unsafeDecode,
} from "@mebel/core";
import { couriersFromJson, createDeliveryApp } from "@mebel/delivery";
import { createCatalogApi, createChangeFeed, createSiteApp, createWarehouseApi } from "@mebel/site";
import { createWarehouseApp } from "@mebel/warehouse";
import type { Express } from "express";
import * as E from "fp-ts/lib/Either.js";

/** Test support: the four apps on memory stores, over real HTTP, with a test issuer's tokens. */

const logger = createLogger("access-test", "silent");
const noHealth = { subscribers: () => [], head: async () => undefined };

export interface TestApps {
  readonly issuer: TestIssuer;
  readonly apps: Readonly<Record<Service, Express>>;
  readonly urls: Readonly<Record<Service, string>>;
  readonly store: ReturnType<typeof createMemoryEventStore>;
  readonly accounts: ReturnType<typeof createMemoryAccountStore>;
  readonly outbox: Outbox;
  readonly bus: CommandBus;
  readonly close: () => Promise<void>;
}

export const startTestApps = async (
  options: { readonly signInsPerMinute?: number } = {},
): Promise<TestApps> => {
  const issuer = await testIssuer();
  const store = createMemoryEventStore();
  const readModels = createMemoryReadModelStore();
  const accounts = createMemoryAccountStore();
  const outbox = createMemoryOutbox(readModels);
  const products = createMemoryCatalog([
    unsafeDecode(Product)({ sku: "SOFA-OSLO-3", name: "Oslo sofa", price: 89_900 }),
  ]);
  const bus = commandBus(createCommandHandler({ store, clock: systemClock, ids: uuids }));
  const couriers = couriersFromJson(
    '[{"id":"anna","name":"Anna","capacity":3},{"id":"boris","name":"Boris","capacity":3}]',
  );
  if (E.isLeft(couriers)) throw new Error(couriers.left);
  const guard = issuer.guard;
  const catalog = createCatalogApp({
    products,
    idempotency: createMemoryIdempotencyStore(),
    logger,
    guard,
  });
  const warehouse = createWarehouseApp({
    bus,
    store,
    catalog: products,
    readModels,
    idempotency: createMemoryIdempotencyStore(),
    ids: uuids,
    logger,
    health: noHealth,
    guard,
  });
  const delivery = createDeliveryApp({
    bus,
    store,
    readModels,
    idempotency: createMemoryIdempotencyStore(),
    couriers: couriers.right,
    logger,
    health: noHealth,
    guard,
  });
  const servers: Listening[] = [];
  const serve = async (app: Express) => {
    const server = await listen(app, 0);
    servers.push(server);
    return server.url;
  };
  const catalogUrl = await serve(catalog);
  const warehouseUrl = await serve(warehouse);
  const deliveryUrl = await serve(delivery);
  const site = createSiteApp({
    readModels,
    changes: createChangeFeed(),
    warehouse: createWarehouseApi({ baseUrl: warehouseUrl }),
    catalog: createCatalogApi({ baseUrl: catalogUrl }),
    logger,
    health: noHealth,
    head: store.head,
    guard,
    accounts,
    mailPreferences: {
      of: (customerId) => mailPreferencesOf(store, customerId),
      set: bus.mailPreferences,
      accounts,
    },
    mailAdmin: {
      failures: outbox.failures,
      resend: resendMail({ outbox, accounts, clock: systemClock }),
    },
    issuer: {
      accounts,
      sign: createTokenSigner({
        privateKey: issuer.key.privateKey,
        kid: issuer.key.kid,
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        ttlSeconds: 300,
      }),
      jwks: issuer.key.jwks,
      accessTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 3600,
      secureCookies: false,
      signInsPerMinute: options.signInsPerMinute ?? 1_000,
      allowedOrigins: [],
    },
  });
  const siteUrl = await serve(site);
  return {
    issuer,
    apps: { site, catalog, warehouse, delivery },
    urls: { site: siteUrl, catalog: catalogUrl, warehouse: warehouseUrl, delivery: deliveryUrl },
    store,
    accounts,
    outbox,
    bus,
    close: async () => {
      for (const server of servers) await server.close();
    },
  };
};

export { registeredRoutes };
