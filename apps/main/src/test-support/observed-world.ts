import { createLogger, type Listening, listen, type Telemetry } from "@mebel/adapter-http";
import { type TestIssuer, testIssuer } from "@mebel/adapter-http/testing";
import {
  createMemoryCatalog,
  createMemoryEventStore,
  createMemoryIdempotencyStore,
  createMemoryReadModelStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import {
  commandBus,
  createCommandHandler,
  Product,
  type RunningSubscribers,
  startSubscribers,
  unsafeDecode,
} from "@mebel/core";
import { createCatalogApi, createChangeFeed, createSiteApp, createWarehouseApi } from "@mebel/site";
import { createWarehouseApp, warehouseSubscribers } from "@mebel/warehouse";

/**
 * Test support: the site and the warehouse over real HTTP on memory stores, wired as main wires
 * them to one telemetry: the observed store under the command handler, the observer in the
 * handler, the warehouse's subscribers and the site's hop.
 */
export const startObservedWorld = async (
  telemetry: Telemetry,
  options: { readonly metricsToken?: string } = {},
) => {
  const logger = createLogger("observed-test", "silent");
  const issuer: TestIssuer = await testIssuer();
  const store = createMemoryEventStore();
  const readModels = createMemoryReadModelStore();
  const products = createMemoryCatalog([
    unsafeDecode(Product)({ sku: "SOFA-OSLO-3", name: "Oslo sofa", price: 89_900 }),
  ]);
  const bus = commandBus(
    createCommandHandler({
      store: telemetry.metrics.observeStore(store),
      clock: systemClock,
      ids: uuids,
      observer: telemetry.observer,
    }),
  );
  const subscriberDeps = {
    store,
    readModels,
    bus,
    clock: systemClock,
    observer: telemetry.observer,
  };
  let subscribers: RunningSubscribers = startSubscribers(
    subscriberDeps,
    warehouseSubscribers.projections,
    warehouseSubscribers.processes,
  );
  const guard = {
    ...issuer.guard,
    ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
  };
  const servers: Listening[] = [];
  const warehouse = await listen(
    createWarehouseApp({
      bus,
      store,
      catalog: products,
      readModels,
      idempotency: createMemoryIdempotencyStore(),
      ids: uuids,
      logger,
      health: {
        subscribers: () => subscribers.status(),
        head: store.head,
        checkpointAges: readModels.checkpointAges,
      },
      guard,
      telemetry,
    }),
    0,
  );
  servers.push(warehouse);
  const site = await listen(
    createSiteApp({
      readModels,
      changes: createChangeFeed(),
      warehouse: createWarehouseApi({ baseUrl: warehouse.url, observer: telemetry.observer }),
      catalog: createCatalogApi({ baseUrl: "http://127.0.0.1:9" }),
      logger,
      health: { subscribers: () => [], head: store.head },
      head: store.head,
      guard,
      telemetry,
    }),
    0,
  );
  servers.push(site);

  const call = async (
    base: Listening,
    method: string,
    path: string,
    headers: Readonly<Record<string, string>>,
    body?: unknown,
  ) => {
    const response = await fetch(`${base.url}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  };

  return {
    issuer,
    store,
    site,
    warehouse,
    call,
    settle: () => subscribers.settle(),
    /** Stops the subscribers, as a process that dies would; `restart` starts them afresh. */
    stopSubscribers: () => subscribers.stop(),
    restartSubscribers: () => {
      subscribers = startSubscribers(
        subscriberDeps,
        warehouseSubscribers.projections,
        warehouseSubscribers.processes,
      );
    },
    close: async () => {
      await subscribers.stop();
      for (const server of servers) await server.close();
    },
  };
};
