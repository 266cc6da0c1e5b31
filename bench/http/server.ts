import { monitorEventLoopDelay } from "node:perf_hooks";
import {
  createLogger,
  createTelemetry,
  createTokenVerifier,
  disabledTelemetry,
  type Guard,
  type Listening,
  listen,
} from "@mebel/adapter-http";
import { TEST_AUDIENCE, TEST_ISSUER } from "@mebel/adapter-http/testing";
import { systemClock, uuids } from "@mebel/adapter-memory";
import { connectPg, createPostgresStores, openPgliteThread } from "@mebel/adapter-postgres";
import {
  CustomerId,
  commandBus,
  createCommandHandler,
  Product,
  snapshottingCache,
  unsafeDecode,
} from "@mebel/core";
import { createWarehouseApp } from "@mebel/warehouse";
import express from "express";
import * as E from "fp-ts/lib/Either.js";
import { countingClient } from "./counting-client.js";
import { rawAddItem } from "./raw-add-item.js";
import type { ServerConfig, ServerMessage, ServerStats } from "./server-config.js";

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
  return { url: server.url, statements: () => 0, close: server.close };
};

/** Real verification with the bench's keys, or none at all (`jwks` absent): see ServerConfig. */
const guardOf = (config: Extract<ServerConfig, { kind: "warehouse" }>): Guard =>
  config.jwks === undefined
    ? { verify: async () => E.right({ sub: unsafeDecode(CustomerId)("bench"), roles: ["admin"] }) }
    : {
        verify: createTokenVerifier({
          keys: { kind: "local", jwks: config.jwks },
          issuer: TEST_ISSUER,
          audience: TEST_AUDIENCE,
          algorithms: ["ES256"],
          rolesClaim: "roles",
        }),
      };

/** The warehouse as a service would wire it on PostgreSQL or PGlite, minus its subscribers. */
const warehouse = async (config: Extract<ServerConfig, { kind: "warehouse" }>) => {
  const { store } = config;
  // PGlite on a worker thread, as the services run it (apps/runtime).
  const { client, sent } = countingClient(
    store.kind === "pglite" ? await openPgliteThread(store.dataDir) : connectPg(store.url),
  );
  const stores = await createPostgresStores({ client, schema: store.schema });
  for (const sku of config.skus) {
    // Left when another server process made it first: the product is there either way.
    await stores.products.create(
      unsafeDecode(Product)({ sku, name: `Bench ${sku}`, price: 9_900 }),
    );
  }
  const cache = snapshottingCache(stores.snapshots, { events: stores.eventStore, every: 200 });
  const telemetry = config.metrics ? createTelemetry() : disabledTelemetry();
  const bus = commandBus(
    createCommandHandler({
      store: telemetry.metrics.observeStore(stores.eventStore),
      clock: systemClock,
      ids: uuids,
      cache,
      observer: telemetry.observer,
    }),
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
    guard: guardOf(config),
    telemetry,
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
    statements: sent,
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
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const MiB = 1024 * 1024;
const stats = (): ServerStats => {
  const memory = process.memoryUsage();
  const sample = {
    rssMiB: memory.rss / MiB,
    heapUsedMiB: memory.heapUsed / MiB,
    externalMiB: memory.external / MiB,
    arrayBuffersMiB: memory.arrayBuffers / MiB,
    loopDelayP50Ms: loopDelay.percentile(50) / 1e6,
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    loopDelayMaxMs: loopDelay.max / 1e6,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1_000,
    loopBusyMs: performance.eventLoopUtilization().active,
    statements: statementsSent(),
  };
  loopDelay.reset();
  return sample;
};
/** Set once the server listens: the stats read its statement count. */
let statementsSent = (): number => 0;
try {
  const running =
    config.kind === "bare"
      ? await bare()
      : config.kind === "raw-add-item"
        ? await rawAddItem(config)
        : await warehouse(config);
  const shutdown = (): void => {
    void running.close().finally(() => process.exit(0));
  };
  process.on("message", (message) => {
    if (message === "stop") shutdown();
    if (message === "stats") process.send?.({ stats: stats() });
  });
  // The parent went away (crashed, killed): do not outlive it holding connections.
  process.on("disconnect", shutdown);
  statementsSent = running.statements;
  tell({ url: running.url });
} catch (error) {
  tell({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
