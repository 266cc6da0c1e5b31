import { couriersFromJson } from "@mebel/delivery";
import { demoCouriers } from "@mebel/demo/demo-data";
import { DataDirInUseError, readAuthSettings, readSettings } from "@mebel/runtime";
import * as E from "fp-ts/lib/Either.js";
import { prepareWhenReachable, type Shared } from "./prepare.js";
import { seedDemoAccounts, seedDemoData } from "./seed.js";
import {
  httpCatalog,
  type RunningService,
  startAllServices,
  startCatalogService,
  startDeliveryService,
  startSiteService,
  startSiteViews,
  startWarehouseService,
} from "./services.js";
import { readTracingSettings, startTracing } from "./tracing.js";

/** Time beyond the drain for subscribers to finish their batch and locks to be released. */
const SHUTDOWN_SLACK_MS = 30_000;

const SERVICES = ["all", "catalog", "warehouse", "delivery", "site"] as const;
type Which = (typeof SERVICES)[number];

function fail(message: string, code = 1): never {
  process.stderr.write(`mebel: ${message}\n`);
  process.exit(code);
}

const which = (process.argv[2] ?? "all") as Which;
if (!SERVICES.includes(which)) fail(`unknown service "${which}"; one of ${SERVICES.join(", ")}`, 2);

const settings = readSettings(process.env);
if (E.isLeft(settings)) fail(`bad settings:\n  ${settings.left.join("\n  ")}`, 2);
const decoded = (
  settings as E.Right<typeof settings extends E.Either<unknown, infer S> ? S : never>
).right;
// An operator finds each service's sessions in pg_stat_activity by this name.
const config = {
  ...decoded,
  postgres: { applicationName: `mebel-${which}`, ...decoded.postgres },
};

const authSettings = readAuthSettings(process.env, {
  ...config,
  dataDir:
    config.state.kind === "embedded" ? config.state.dataDir : process.env.MEBEL_DATA_DIR || ".data",
});
if (E.isLeft(authSettings)) fail(`bad settings:\n  ${authSettings.left.join("\n  ")}`, 2);
const auth = authSettings.right;

const couriers =
  config.couriersJson === undefined ? E.right(demoCouriers) : couriersFromJson(config.couriersJson);
if (E.isLeft(couriers)) fail(`MEBEL_COURIERS: ${couriers.left}`, 2);
const courierList = couriers.right;

const tracingSettings = readTracingSettings(process.env, `mebel-${which}`);
if (E.isLeft(tracingSettings)) fail(`bad settings:\n  ${tracingSettings.left.join("\n  ")}`, 2);
const tracing = tracingSettings.right;

const local = (port: number): string => `http://${config.host}:${port}`;

const start = async (shared: Shared): Promise<ReadonlyArray<RunningService>> => {
  const { ports, urls } = config;
  const catalogUrl = urls.catalog ?? local(ports.catalog);
  const warehouseUrl = urls.warehouse ?? local(ports.warehouse);
  const deliveryUrl = urls.delivery ?? local(ports.delivery);
  switch (which) {
    case "catalog":
      return [await startCatalogService(shared, ports.catalog)];
    case "warehouse":
      return [await startWarehouseService(shared, ports.warehouse, httpCatalog(catalogUrl))];
    case "delivery":
      return [await startDeliveryService(shared, ports.delivery, courierList)];
    case "site":
      return [
        await startSiteService(shared, startSiteViews(shared), ports.site, {
          warehouseUrl,
          catalogUrl,
          deliveryUrl,
        }),
      ];
    case "all":
      return startAllServices(shared, courierList);
  }
};

const main = async (): Promise<void> => {
  const stopTracing = await startTracing(tracing);
  const shared = await prepareWhenReachable(config, auth, which === "all" || which === "site", {
    tracing: stopTracing !== undefined,
    onRetry: (error, delayMs) =>
      process.stderr.write(`mebel: ${error.message}; trying again in ${delayMs} ms\n`),
  }).catch((error: unknown) =>
    fail(
      error instanceof DataDirInUseError
        ? error.message
        : `cannot open the stores: ${String(error)}`,
    ),
  );
  if (which === "all") {
    const seeded = await seedDemoData(shared);
    if (seeded.products + seeded.stockItems > 0) {
      process.stdout.write(
        `Seeded ${seeded.products} products and stock for ${seeded.stockItems} of them.\n`,
      );
    }
  }
  // Demo people exist only where the demo runs: one process, on its own embedded store.
  if (which === "all" && config.state.kind === "embedded" && auth.source.kind === "embedded") {
    const seeded = await seedDemoAccounts(shared, courierList[0]?.id ?? "anna", auth.demoPassword);
    if (seeded.created > 0) {
      process.stdout.write(
        `Seeded ${seeded.created} demo accounts (olga@example.com, ivan@example.com, warehouse@, dispatcher@, courier@, catalog@, admin@example.com).\n`,
      );
    }
    if (seeded.password !== undefined) {
      // Shown this once, on the terminal of whoever started the demo; never logged.
      process.stdout.write(
        `Their password, shown only now (set MEBEL_DEMO_PASSWORD to choose one): ${seeded.password}\n`,
      );
    }
  }
  const services = await start(shared);
  process.stdout.write(
    [
      `Mebel is running: ${shared.infra.description}.`,
      ...services.map((s) => `  ${s.name.padEnd(9)} ${s.url}`),
      "Stop with Ctrl-C.",
      "",
    ].join("\n"),
  );

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    shared.logger.info({ signal }, "stopping");
    // Whatever hangs (a store that stopped answering mid-shutdown) must not keep the process.
    setTimeout(() => {
      shared.logger.error({ signal }, "shutdown took too long; exiting");
      process.exit(1);
    }, config.shutdownGraceMs + SHUTDOWN_SLACK_MS).unref();
    try {
      // Each drains its HTTP, then stops its subscribers after their batch, releasing their locks.
      await Promise.all(services.map((service) => service.stop()));
      await shared.infra.close();
      // The spans still in the batch go out before the process does.
      await stopTracing?.().catch(() => undefined);
      shared.logger.info({ signal }, "stopped");
      process.exit(0);
    } catch (error) {
      shared.logger.error({ signal, error: String(error) }, "shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
};

await main();
