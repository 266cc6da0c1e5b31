import { createLogger, type Logger, listen } from "@mebel/adapter-http";
import { testIssuer } from "@mebel/adapter-http/testing";
import {
  createMemoryCatalog,
  createMemoryEventStore,
  createMemoryReadModelStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import {
  type AccountStore,
  type CommandContext,
  commandBus,
  createCommandHandler,
  OrderId,
  Product,
  Quantity,
  Sku,
  unsafeDecode,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll } from "vitest";
import { createCatalogApi } from "../catalog-api.js";
import { type ChangeFeed, createChangeFeed } from "../change-feed.js";
import { createSiteApp } from "../site-app.js";
import { type SiteReadModels, startSiteReadModels } from "../site-read-models.js";
import { createWarehouseApi } from "../warehouse-api.js";
import { startStubCatalog } from "./stub-catalog.js";
import { startStubWarehouse } from "./stub-warehouse.js";

export const shopProducts: ReadonlyArray<Product> = [
  { sku: "CHAIR-EAMES", name: "Eames chair", price: 24_900 },
  { sku: "LAMP-ARC", name: "Arc lamp", price: 12_900 },
  { sku: "SOFA-OSLO-3", name: "Oslo sofa", price: 89_900 },
].map(unsafeDecode(Product));

export interface FixtureOptions {
  /** Where the site finds the warehouse and the catalog, instead of the stubs. */
  readonly warehouseUrl?: string;
  readonly catalogUrl?: string;
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  /** Accounts, for `/auth/me` and the admin's account routes. */
  readonly accounts?: AccountStore;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
  readonly body: any;
}

/** The context of commands tests send straight to the command bus. */
export const context: CommandContext = { correlationId: "test", causationId: "test" };

export const asOrderId = unsafeDecode(OrderId);

/**
 * A site over real HTTP on the memory store, with the real projection runners, stub warehouse and
 * catalog servers on port 0, and the core's command handler to write events directly.
 */
export const startSiteFixture = async (options: FixtureOptions = {}) => {
  const logger = options.logger ?? createLogger("site-test", "silent");
  const store = createMemoryEventStore();
  const readModels = createMemoryReadModelStore();
  const bus = commandBus(createCommandHandler({ store, clock: systemClock, ids: uuids }));
  const products = createMemoryCatalog(shopProducts);
  const warehouse = await startStubWarehouse({ store, bus, catalog: products, logger });
  const catalog = await startStubCatalog({ products, logger });

  // The app keeps one feed while the views behind it are stopped and started again.
  const feed = createChangeFeed();
  let listeners = 0;
  const changes: ChangeFeed = {
    subscribe: (listener) => {
      listeners += 1;
      const off = feed.subscribe(listener);
      let subscribed = true;
      // As idempotent as the feed's own unsubscribe.
      return () => {
        if (subscribed) listeners -= 1;
        subscribed = false;
        off();
      };
    },
  };
  const startViews = (): SiteReadModels => {
    const started = startSiteReadModels({ store, readModels, clock: systemClock, logger });
    started.changes.subscribe((change) => feed.publish(change));
    return started;
  };
  let views = startViews();

  const issuer = await testIssuer();
  const staff = await issuer.bearer("site-admin", ["admin"]);
  /** The customer's own token, as the site's sign-in would give it. */
  const bearer = (customerId: string) => issuer.bearer(customerId, ["customer"]);
  /** Who a test request is from: the customer of its path, else an admin. */
  const callerOf = (path: string) => {
    const customer = /^\/customers\/([A-Za-z0-9][A-Za-z0-9._:-]{0,99})(?:\/|$)/.exec(path)?.[1];
    return customer === undefined ? staff : bearer(customer);
  };

  const timeoutMs = options.timeoutMs ?? 2_000;
  const site = await listen(
    createSiteApp({
      readModels,
      changes,
      warehouse: createWarehouseApi({ baseUrl: options.warehouseUrl ?? warehouse.url, timeoutMs }),
      catalog: createCatalogApi({ baseUrl: options.catalogUrl ?? catalog.url, timeoutMs }),
      logger,
      health: { subscribers: () => views.status(), head: store.head },
      head: store.head,
      guard: issuer.guard,
      ...(options.accounts === undefined ? {} : { accounts: options.accounts }),
    }),
    0,
  );

  const request = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const res = await fetch(`${site.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(await callerOf(path)),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text === "" ? undefined : JSON.parse(text),
    };
  };

  return {
    url: site.url,
    issuer,
    staff,
    bearer,
    callerOf,
    store,
    bus,
    warehouse,
    catalog,
    request,
    /** Subscriptions to the change feed still open. */
    listeners: () => listeners,
    /** Resolves once the views have caught up with everything appended so far. */
    settle: async () => {
      const head = await store.head();
      if (head !== undefined) await views.waitUntil(head);
    },
    stopViews: () => views.stop(),
    startViews: () => {
      views = startViews();
    },
    receiveStock: async (sku: string, units: number) => {
      const received = await bus.stockItem(
        {
          type: "ReceiveStock",
          sku: unsafeDecode(Sku)(sku),
          quantity: unsafeDecode(Quantity)(units),
        },
        context,
      )();
      if (E.isLeft(received)) throw new Error(received.left.message);
    },
    /** A new order of the customer's, created through the site; its id. */
    createOrder: async (customerId: string): Promise<string> => {
      const created = await request("POST", `/customers/${customerId}/orders`);
      if (created.status !== 201) throw new Error(`create order: ${created.status}`);
      return created.body.orderId as string;
    },
    close: async () => {
      await views.stop();
      await Promise.all([site.close(), warehouse.close(), catalog.close()]);
    },
  };
};
export type SiteFixture = Awaited<ReturnType<typeof startSiteFixture>>;

/** A fixture for the tests of one file or describe block: started before them, closed after. */
export const useSiteFixture = (
  options: () => FixtureOptions | Promise<FixtureOptions> = () => ({}),
): (() => SiteFixture) => {
  let started: SiteFixture | undefined;
  beforeAll(async () => {
    started = await startSiteFixture(await options());
  });
  afterAll(() => started?.close());
  return () => {
    if (started === undefined) throw new Error("the site fixture has not started");
    return started;
  };
};
