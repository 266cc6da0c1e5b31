import { createLogger, type Listening, listen } from "@mebel/adapter-http";
import { systemClock, uuids } from "@mebel/adapter-memory";
import { connectPg, createPostgresStores, openPgliteThread } from "@mebel/adapter-postgres";
import {
  commandBus,
  createCommandHandler,
  Product,
  snapshottingCache,
  unsafeDecode,
} from "@mebel/core";
import { createWarehouseApp } from "@mebel/warehouse";
import express from "express";
import type { ServerConfig, ServerMessage } from "./server-config.js";

/**
 * One HTTP server in a process of its own, started by the HTTP benches: the load generator then
 * does not share an event loop with what it measures.
 */

/** The baseline: Express parsing a JSON body and answering 200, nothing else. */
const bare = async () => {
  const app = express();
  app.use(express.json());
  app.post("/{*path}", (_req, res) => {
    res.status(200).json({ ok: true });
  });
  const server = await listen(app, 0);
  return { url: server.url, close: server.close };
};

/** The warehouse as a service would wire it on PostgreSQL or PGlite, minus its subscribers. */
const warehouse = async (config: Extract<ServerConfig, { kind: "warehouse" }>) => {
  const { store } = config;
  // PGlite on a worker thread, as the services run it (apps/runtime).
  const client =
    store.kind === "pglite" ? await openPgliteThread(store.dataDir) : connectPg(store.url);
  const stores = await createPostgresStores({ client, schema: store.schema });
  for (const sku of config.skus) {
    // Left when another server process made it first: the product is there either way.
    await stores.products.create(
      unsafeDecode(Product)({ sku, name: `Bench ${sku}`, price: 9_900 }),
    );
  }
  const cache = snapshottingCache(stores.snapshots, { events: stores.eventStore, every: 200 });
  const bus = commandBus(
    createCommandHandler({ store: stores.eventStore, clock: systemClock, ids: uuids, cache }),
  );
  const app = createWarehouseApp({
    bus,
    store: stores.eventStore,
    catalog: stores.products,
    readModels: stores.readModels,
    idempotency: stores.idempotency,
    ids: uuids,
    logger: createLogger("bench-warehouse", "silent"),
    health: { subscribers: () => [], head: stores.eventStore.head },
    cache,
  });
  let server: Listening;
  try {
    server = await listen(app, 0);
  } catch (error) {
    await stores.close();
    throw error;
  }
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await stores.close();
    },
  };
};

const tell = (message: ServerMessage): void => {
  process.send?.(message);
};

const config = JSON.parse(process.argv[2] ?? "null") as ServerConfig;
try {
  const running = config.kind === "bare" ? await bare() : await warehouse(config);
  const shutdown = (): void => {
    void running.close().finally(() => process.exit(0));
  };
  process.on("message", (message) => {
    if (message === "stop") shutdown();
  });
  // The parent went away (crashed, killed): do not outlive it holding connections.
  process.on("disconnect", shutdown);
  tell({ url: running.url });
} catch (error) {
  tell({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
