import { createLogger, listen } from "@mebel/adapter-http";
import { testIssuer } from "@mebel/adapter-http/testing";
import {
  createMemoryCatalog,
  createMemoryEventStore,
  createMemoryIdempotencyStore,
  createMemoryReadModelStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import {
  type Catalog,
  commandBus,
  createCommandHandler,
  lruStateCache,
  Product,
  type RunningSubscriber,
  type StoredEvent,
  unsafeDecode,
} from "@mebel/core";
import { createWarehouseApp } from "./app.js";
import { startWarehouseSubscribers } from "./subscribers.js";

/** Test support: warehouse apps over real HTTP on memory adapters. Not a test file itself. */

export const sofa = unsafeDecode(Product)({ sku: "SOFA-OSLO-3", name: "Oslo sofa", price: 49_900 });
export const lamp = unsafeDecode(Product)({ sku: "LAMP-ARC", name: "Arc lamp", price: 8_900 });

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the answer holds
  readonly body: any;
}

const logger = createLogger("warehouse-test", "silent");

/**
 * One event store and read-model store, and any number of app instances on them, each with its own
 * command handler, cache and idempotency store: separate processes sharing a database.
 */
export const warehouseWorld = async (options: { readonly catalog?: Catalog } = {}) => {
  const store = createMemoryEventStore();
  const readModels = createMemoryReadModelStore();
  const catalog = options.catalog ?? createMemoryCatalog([sofa, lamp]);
  const subscribers: RunningSubscriber[] = [];
  const closers: Array<() => Promise<void>> = [];

  const issuer = await testIssuer();
  // Staff with every role: the scenarios here are about the warehouse, not about who may call it.
  const staff = await issuer.bearer("warehouse-admin", ["admin"]);

  const instance = async () => {
    const cache = lruStateCache();
    const bus = commandBus(createCommandHandler({ store, clock: systemClock, ids: uuids, cache }));
    const app = createWarehouseApp({
      bus,
      store,
      catalog,
      readModels,
      idempotency: createMemoryIdempotencyStore(),
      ids: uuids,
      logger,
      health: { subscribers: () => subscribers.map((s) => s.status()), head: store.head },
      cache,
      guard: issuer.guard,
    });
    const server = await listen(app, 0);
    closers.push(server.close);
    const call = async (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<Answer> => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...staff,
          ...headers,
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        body: text === "" ? undefined : JSON.parse(text),
      };
    };
    return { bus, url: server.url, call, issuer };
  };

  const first = await instance();
  return {
    ...first,
    store,
    readModels,
    /** Another app instance on the same stores: a second process, or the first after a restart. */
    instance,
    events: (streamName?: string): ReadonlyArray<StoredEvent> =>
      store.all().filter((e) => streamName === undefined || e.streamName === streamName),
    startSubscribers: () => {
      subscribers.push(
        ...startWarehouseSubscribers({ store, readModels, bus: first.bus, clock: systemClock }),
      );
    },
    /** Resolves once the subscribers have handled everything, including what they caused. */
    settle: async () => {
      for (;;) {
        const head = await store.head();
        if (head === undefined) return;
        await Promise.all(subscribers.map((s) => s.waitUntil(head)));
        if ((await store.head()) === head) return;
      }
    },
    subscribers,
    close: async () => {
      await Promise.all(subscribers.map((s) => s.stop()));
      await Promise.all(closers.map((close) => close()));
    },
  };
};
export type WarehouseWorld = Awaited<ReturnType<typeof warehouseWorld>>;

/** Stock received and an order created, through the API: where most scenarios start. */
export const draftOrder = async (w: WarehouseWorld, units = 10) => {
  await w.call("POST", `/stock/${sofa.sku}/receive`, { quantity: units });
  await w.call("POST", `/stock/${lamp.sku}/receive`, { quantity: units });
  const created = await w.call("POST", "/orders", { customerId: "olga" });
  return created.body.orderId as string;
};
