import { loadavg } from "node:os";
import type { Bench, BenchContext } from "./harness/bench.js";
import { STORE_KINDS, type StoreKind } from "./harness/databases.js";
import { type CpuBudget, cpuBudget } from "./http/cpu-budget.js";
import { afterServers, appendCounts, sampleBackends } from "./http/database-sampling.js";
import { createOrders, get, hammer, type Load, post, UNVERIFIED } from "./http/load.js";
import { serverProcesses } from "./http/servers.js";

const SKU = "HOT-1";
/** Sold before the measured run, so that JIT and pools are warm. */
const WARM_SKU = "WARM-1";
const BUYERS = 48;
/** Buyers keep coming after the stock is gone: a sell-out is where overselling would show. */
const DEMAND = 1.25;

/**
 * How buyers reach two servers. "spread": every order made on the first server, each server
 * serving half of them, so the second has never seen the orders it adds lines to. "affinity":
 * each buyer on the server that made the order, as a load balancer with session affinity sends a
 * customer. "one-server": every buyer of the SKU on one server while the other idles, the most a
 * router by SKU (or a lease on the stream) could buy: no race between processes at all.
 */
type Routing = "spread" | "affinity" | "one-server";

const ROUTED: Readonly<Record<Routing, string>> = {
  spread: "",
  affinity: ", each buyer on the server that made the order",
  "one-server": ", every buyer on one of them",
};

interface Stock {
  readonly onHand: number;
  readonly reserved: number;
}

/**
 * Many buyers adding one unit of the same SKU to orders of their own, through POST
 * /orders/:id/items, until demand outruns the stock. On PostgreSQL two server processes share the
 * database, so their writes to the one StockItem stream race for real and lose to optimistic
 * concurrency; PGlite belongs to one process, where the per-stream queue orders them first.
 * Oversold: units granted beyond the stock, by the 201s counted and by the stream's final state.
 */
const measureHotSku = async (
  context: BenchContext,
  kind: StoreKind,
  servers: ReturnType<typeof serverProcesses>,
  routing: Routing,
) => {
  const { hotStock } = context.profile;
  const database = await context.databases.get(kind);
  const store = database.serverStore(`hot_sku_${routing.replace("-", "_")}`);
  const processes = kind === "postgres" ? 2 : 1;
  const started: Awaited<ReturnType<typeof servers.start>>[] = [];
  // One after another: the first migrates and creates the product, the next finds them.
  for (let i = 0; i < processes; i += 1) {
    started.push(
      await servers.start({ kind: "warehouse", store, skus: [SKU, WARM_SKU], metrics: true }),
    );
  }
  const [first] = started;
  if (first === undefined) throw new Error("No server started.");
  const serving = routing === "one-server" ? [first] : started;
  const requests = Math.ceil(hotStock * DEMAND);
  const share = (i: number) =>
    Math.floor(requests / serving.length) + (i === 0 ? requests % serving.length : 0);
  /**
   * The stock and the buyers' orders, made before the clock starts: only the buying is timed.
   * The orders each server will serve, in the order it serves them.
   */
  const prepare = async (sku: string): Promise<ReadonlyArray<ReadonlyArray<string>>> => {
    await post(first.url, `/stock/${sku}/receive`, { quantity: hotStock }, UNVERIFIED);
    if (routing !== "spread") {
      return Promise.all(
        serving.map((server, i) => createOrders(server.url, share(i), UNVERIFIED)),
      );
    }
    const all = await createOrders(first.url, requests, UNVERIFIED);
    // Dealt in turn, as one load balancer without affinity would spread them.
    return serving.map((_, i) => all.filter((_, at) => at % serving.length === i));
  };
  const buy = async (sku: string, orders: ReadonlyArray<ReadonlyArray<string>>) =>
    Promise.all(
      serving.map((server, i) => {
        const mine = orders[i] ?? [];
        let turn = 0;
        return hammer({
          url: server.url,
          connections: BUYERS / serving.length,
          amount: share(i),
          next: () => ({
            path: `/orders/${mine[turn++ % mine.length]}/items`,
            body: { sku, quantity: 1 },
          }),
          headers: UNVERIFIED,
        });
      }),
    );
  await buy(WARM_SKU, await prepare(WARM_SKU));
  const orders = await prepare(SKU);
  const countersBefore = await Promise.all(started.map((server) => countersOf(server.url)));
  const counting = await cpuBudget(started, kind === "postgres" ? database.client : undefined);

  // PGlite has one owner, the server: its backends cannot be watched from here.
  const stopSampling = kind === "postgres" ? sampleBackends(database.client) : undefined;
  const beganAt = Date.now();
  const began = performance.now();
  const loads: Load[] = await buy(SKU, orders);
  const seconds = (performance.now() - began) / 1_000;
  const cpu = await counting.stop(loads.reduce((sum, load) => sum + load.answered, 0));
  const backends = await stopSampling?.();
  const stock = (await get(first.url, `/stock/${SKU}`, UNVERIFIED)) as Stock;
  const countersAfter = await Promise.all(started.map((server) => countersOf(server.url)));
  const delta = (key: keyof Awaited<ReturnType<typeof countersOf>>) =>
    countersAfter.map((after, i) => after[key] - (countersBefore[i]?.[key] ?? Number.NaN));
  const retries = delta("retries");
  // Every append of the run (reservations and order lines), as the store's port saw it.
  const appendCount = delta("appends");
  const appendMs = delta("appendSeconds").map(
    (s, i) => (s * 1_000) / (appendCount[i] ?? Number.NaN),
  );
  for (const server of started) await server.stop();
  const bare = await bareCeiling(servers, serving.length, requests);
  const appends = await afterServers(database.client, store, async (client) =>
    appendCounts(client, store.schema, `StockItem-${SKU}`),
  );

  const count = (status: string) =>
    loads.reduce((sum, load) => sum + (load.statuses[status] ?? 0), 0);
  const sold = count("201");
  const oversold = Math.max(0, sold - hotStock, stock.reserved - stock.onHand);
  // Leaked: units the stream holds reserved for requests that were not answered 201.
  const leaked = Math.max(0, stock.reserved - sold);
  return {
    processes: serving.length,
    answered: loads.reduce((sum, load) => sum + load.answered, 0) / seconds,
    sold,
    reservations: sold / seconds,
    // The run goes on after the sell-out, refusing: this is the rate while there was stock to sell.
    untilSoldOut: sold / ((appends.lastReservedAt - beganAt) / 1_000),
    oversold,
    leaked,
    seconds,
    // The two halves' histograms cannot be merged here: the worse p99 stands for both.
    p99Ms: Math.max(...loads.map((load) => load.p99Ms)),
    p50Ms: Math.max(...loads.map((load) => load.p50Ms)),
    statuses: loads.map((load) => load.statuses),
    errors: loads.reduce((sum, load) => sum + load.errors, 0),
    stock,
    retries,
    appendMs,
    appends,
    backends,
    cpu,
    bare,
  };
};

/**
 * The ceiling of the machine for the same load: bare Express (parse the JSON body, answer) in as
 * many processes, under the same buyers and as many requests. Whatever a route does, it does on
 * top of that.
 */
const bareCeiling = async (
  servers: ReturnType<typeof serverProcesses>,
  processes: number,
  requests: number,
): Promise<{ perSecond: number; p99Ms: number; cpu: CpuBudget }> => {
  const bare = await Promise.all(
    Array.from({ length: processes }, () => servers.start({ kind: "bare" })),
  );
  const next = () => ({ path: "/orders/bare/items", body: { sku: SKU, quantity: 1 } });
  const run = () =>
    Promise.all(
      bare.map((server) =>
        hammer({
          url: server.url,
          connections: BUYERS / processes,
          amount: requests / processes,
          next,
        }),
      ),
    );
  await run();
  const counting = await cpuBudget(bare);
  const began = performance.now();
  const loads = await run();
  const seconds = (performance.now() - began) / 1_000;
  const answered = loads.reduce((sum, load) => sum + load.answered, 0);
  const cpu = await counting.stop(answered);
  for (const server of bare) await server.stop();
  return { perSecond: answered / seconds, p99Ms: Math.max(...loads.map((l) => l.p99Ms)), cpu };
};

/** The server's own counters (NaN if unreadable), each summed over its labels. */
const countersOf = async (url: string) => {
  const response = await fetch(`${url}/metrics`, { headers: UNVERIFIED });
  const lines = response.ok ? (await response.text()).split("\n") : [];
  const sum = (name: string) =>
    response.ok
      ? lines
          .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
          .reduce((total, line) => total + Number(line.split(" ").at(-1)), 0)
      : Number.NaN;
  return {
    /** Commands decided again after a lost race. */
    retries: sum("mebel_command_retries_total"),
    appends: sum("mebel_append_duration_seconds_count"),
    appendSeconds: sum("mebel_append_duration_seconds_sum"),
  };
};

const requests = (context: BenchContext) => Math.ceil(context.profile.hotStock * DEMAND);

export const hotSku: Bench = {
  name: "hot-sku",
  run: async (context) => {
    const servers = serverProcesses();
    try {
      // Routing only means something with more than one server.
      const runs = STORE_KINDS.flatMap(
        (kind): Array<{ kind: StoreKind; routing: Routing }> =>
          kind === "postgres"
            ? (["spread", "affinity", "one-server"] as const).map((routing) => ({ kind, routing }))
            : [{ kind, routing: "spread" }],
      );
      for (const { kind, routing } of runs) {
        context.log(`hot-sku: ${kind}${ROUTED[routing]}`);
        const m = await measureHotSku(context, kind, servers, routing);
        const name = `${BUYERS} buyers, 1 SKU, ${context.profile.hotStock} in stock, ${m.processes} server${m.processes === 1 ? "" : "s"}${ROUTED[routing]}`;
        const extra = {
          sold: m.sold,
          stock: context.profile.hotStock,
          finalState: m.stock,
          statuses: m.statuses,
          socketErrors: m.errors,
          p50Ms: m.p50Ms,
          retries: m.retries,
          meanAppendMs: m.appendMs,
          appends: m.appends,
          meanPerHotAppend: m.appends.hotReservations / Math.max(1, m.appends.hotAppends),
          transactionsPerRequest: m.appends.transactions / Math.max(1, requests(context)),
          backends: m.backends,
          cpu: m.cpu,
          bareCpu: m.bare.cpu,
          bareP99Ms: m.bare.p99Ms,
          loadAverage: loadavg()[0],
        };
        context.report({
          bench: "hot-sku",
          name,
          store: kind,
          unit: "req/s",
          value: m.answered,
          baseline: m.bare.perSecond,
          baselineName: `bare Express, ${m.processes} process${m.processes === 1 ? "" : "es"}`,
          extra,
        });
        context.report({
          bench: "hot-sku",
          name: `${name}: reservations`,
          store: kind,
          unit: "reservations/s",
          value: m.reservations,
        });
        context.report({
          bench: "hot-sku",
          name: `${name}: reservations until sold out`,
          store: kind,
          unit: "reservations/s",
          value: m.untilSoldOut,
        });
        context.report({
          bench: "hot-sku",
          name: `${name}: p99`,
          store: kind,
          unit: "ms",
          value: m.p99Ms,
        });
        context.report({
          bench: "hot-sku",
          name: `${name}: oversold`,
          store: kind,
          unit: "units",
          value: m.oversold,
          target: { kind: "exactly", value: 0 },
        });
        context.report({
          bench: "hot-sku",
          name: `${name}: leaked`,
          store: kind,
          unit: "units",
          value: m.leaked,
          target: { kind: "exactly", value: 0 },
        });
      }
    } finally {
      await servers.stopAll();
    }
  },
};
