import { randomUUID } from "node:crypto";
import { createTestIssuer, type TestIssuer } from "@mebel/adapter-http/testing";
import type { SqlQuery } from "@mebel/adapter-postgres";
import type { Bench, BenchContext } from "./harness/bench.js";
import { STORE_KINDS, type StoreKind } from "./harness/databases.js";
import { median } from "./harness/measure.js";
import { benchSkus } from "./harness/stock-events.js";
import { type CpuBudget, cpuBudget, medianBudget } from "./http/cpu-budget.js";
import { type Call, createOrders, hammer, post, UNVERIFIED } from "./http/load.js";
import { type RunningServer, serverProcesses } from "./http/servers.js";

const CONNECTIONS = 32;
/** Receipts go round many SKUs: one SKU would only measure the per-stream queue. */
const RECEIVE_SKUS = benchSkus("RCV", 100);
const ITEM_SKUS = benchSkus("ITEM", 20);

/** Requests each taking the next SKU or order in turn. */
const receiving = (): (() => Call) => {
  let turn = 0;
  return () => ({
    path: `/stock/${RECEIVE_SKUS[turn++ % RECEIVE_SKUS.length]}/receive`,
    body: { quantity: 1 },
  });
};

const addingItems = (orders: ReadonlyArray<string>): (() => Call) => {
  let turn = 0;
  return () => {
    const at = turn++;
    return {
      path: `/orders/${orders[at % orders.length]}/items`,
      body: { sku: ITEM_SKUS[at % ITEM_SKUS.length], quantity: 1 },
    };
  };
};

/**
 * The warehouse beside bare Express, both in server processes of their own and driven by the same
 * autocannon settings: a warm-up each, then rounds alternating which goes first; medians of 2xx/s.
 */
const againstBare = async (
  context: BenchContext,
  bare: RunningServer,
  warehouse: RunningServer,
  next: () => () => Call,
  headers: Readonly<Record<string, string>> = {},
  database?: SqlQuery,
) => {
  const { httpSeconds, httpRounds, httpWarmupSeconds } = context.profile;
  const run = (server: RunningServer, seconds: number) =>
    hammer({
      url: server.url,
      connections: CONNECTIONS,
      seconds,
      next: next(),
      ...(server === bare ? {} : { headers }),
    });
  await run(bare, httpWarmupSeconds);
  await run(warehouse, httpWarmupSeconds);
  const values: number[] = [];
  const baselines: number[] = [];
  const p99s: number[] = [];
  const refused: Array<Readonly<Record<string, number>>> = [];
  const budgets: { bare: CpuBudget[]; warehouse: CpuBudget[] } = { bare: [], warehouse: [] };
  for (let round = 0; round < httpRounds; round += 1) {
    const order = round % 2 === 0 ? [bare, warehouse] : [warehouse, bare];
    for (const server of order) {
      const counting = await cpuBudget([server], server === bare ? undefined : database);
      const load = await run(server, httpSeconds);
      const budget = await counting.stop(load.answered);
      if (server === bare) {
        baselines.push(load.okPerSecond);
        budgets.bare.push(budget);
      } else {
        values.push(load.okPerSecond);
        p99s.push(load.p99Ms);
        refused.push(load.statuses);
        budgets.warehouse.push(budget);
      }
    }
  }
  return {
    value: median(values),
    baseline: median(baselines),
    extra: {
      p99Ms: median(p99s),
      statuses: refused,
      cpu: { route: medianBudget(budgets.warehouse), bare: medianBudget(budgets.bare) },
    },
  };
};

/**
 * The routes as before tokens (the server trusts every caller without looking) and signed in
 * (every request's ES256 token verified; add-item as the order's customer, so the ownership check
 * reads the order too; receive as warehouse staff).
 */
const measureStore = async (
  context: BenchContext,
  kind: StoreKind,
  bare: RunningServer,
  start: ReturnType<typeof serverProcesses>["start"],
  issuer: TestIssuer,
) => {
  const database = await context.databases.get(kind);
  const common = {
    bench: "http",
    store: kind,
    unit: "req/s",
    baselineName: "bare Express POST",
    target: { kind: "ratio", atLeast: 0.25 },
  } as const;
  // What a caller sends to the unverified server: a token-shaped header it never looks into.
  const unverified = UNVERIFIED;
  const figures = new Map<string, number>();
  for (const { signed, metrics } of VARIANTS) {
    // Made for each variant: a whole run outlasts a token's five minutes.
    const staff = await issuer.bearer("bench-staff", ["warehouse"]);
    const customer = await issuer.bearer("bench", ["customer"]);
    const warehouse = await start({
      kind: "warehouse",
      store: database.serverStore(
        `http_commands${signed ? "_signed" : ""}${metrics ? "_metrics" : ""}`,
      ),
      skus: ITEM_SKUS,
      metrics,
      ...(signed ? { jwks: issuer.key.jwks } : {}),
    });
    for (const sku of ITEM_SKUS)
      await post(
        warehouse.url,
        `/stock/${sku}/receive`,
        { quantity: 100_000 },
        signed ? staff : unverified,
      );
    const orders = await createOrders(
      warehouse.url,
      context.profile.orders,
      signed ? customer : unverified,
    );
    const as = `${signed ? ", signed in" : ""}${metrics ? ", metrics on" : ", metrics off"}`;
    const report = (route: string, measured: Awaited<ReturnType<typeof againstBare>>) => {
      context.report({ ...common, name: `${route}${as}`, ...measured });
      figures.set(
        `${route}${signed ? ", signed in" : ""}${metrics ? " on" : " off"}`,
        measured.value / measured.baseline,
      );
    };
    context.log(`http: ${kind}, receive${as}`);
    const receiveRoute = `POST /stock/:sku/receive, ${CONNECTIONS} connections`;
    report(
      receiveRoute,
      await againstBare(
        context,
        bare,
        warehouse,
        receiving,
        signed ? staff : unverified,
        kind === "postgres" ? database.client : undefined,
      ),
    );
    context.log(`http: ${kind}, add item${as}`);
    const addRoute = `POST /orders/:id/items, ${orders.length} orders, ${CONNECTIONS} connections`;
    report(
      addRoute,
      await againstBare(
        context,
        bare,
        warehouse,
        () => addingItems(orders),
        signed ? customer : unverified,
        kind === "postgres" ? database.client : undefined,
      ),
    );
    await warehouse.stop();
  }
  // The route's writes with nothing around them, on the same driver and store: plain, then tight.
  const rawShares = new Map<string, number>();
  for (const statements of ["plain", "one"] as const) {
    context.log(`http: ${kind}, add item's statements alone (${statements})`);
    const raw = await start({
      kind: "raw-add-item",
      store: database.serverStore(`http_raw_${statements}`),
      skus: ITEM_SKUS,
      statements,
    });
    const rawOrders = Array.from({ length: context.profile.orders }, () => randomUUID());
    const measured = await againstBare(
      context,
      bare,
      raw,
      () => addingItems(rawOrders),
      {},
      kind === "postgres" ? database.client : undefined,
    );
    await raw.stop();
    const name =
      statements === "plain"
        ? "its statements alone (price read, 2 INSERTs, 3 autocommits)"
        : "its statements alone, as 1 prepared statement";
    // A baseline, not a subject: it is held to no target.
    const { target: _none, ...untargeted } = common;
    context.report({ ...untargeted, name: `POST /orders/:id/items, ${name}`, ...measured });
    rawShares.set(name, measured.value / measured.baseline);
  }
  const addItem = figures.get(
    `POST /orders/:id/items, ${context.profile.orders} orders, ${CONNECTIONS} connections off`,
  );
  for (const [name, share] of rawShares) {
    if (addItem === undefined) break;
    context.report({
      bench: "http",
      store: kind,
      name: `POST /orders/:id/items against ${name}`,
      unit: "share of bare Express",
      value: addItem,
      baseline: share,
      baselineName: name,
    });
  }
  // What metrics cost: each route's share of bare Express with them on, against it with them off.
  for (const [key, off] of figures) {
    if (!key.endsWith(" off")) continue;
    const on = figures.get(key.replace(/ off$/, " on"));
    if (on === undefined) continue;
    context.report({
      bench: "http",
      store: kind,
      name: `${key.replace(/ off$/, "")}: metrics on / metrics off`,
      unit: "share of bare Express",
      value: on,
      baseline: off,
      baselineName: "the same with metrics off",
      target: { kind: "ratio", atLeast: 0.9 },
    });
  }
};

/** Without tokens and metrics (the old figure), then signed in with metrics off and on. */
const VARIANTS = [
  { signed: false, metrics: false },
  { signed: true, metrics: false },
  { signed: true, metrics: true },
] as const;

export const httpCommands: Bench = {
  name: "http",
  run: async (context) => {
    const servers = serverProcesses();
    try {
      const bare = await servers.start({ kind: "bare" });
      const issuer = await createTestIssuer();
      for (const kind of STORE_KINDS) {
        await measureStore(context, kind, bare, servers.start, issuer);
      }
    } finally {
      await servers.stopAll();
    }
  },
};
