import type { Bench } from "./harness/bench.js";
import { benchSkus } from "./harness/stock-events.js";
import { type Call, createOrders, get, hammer, UNVERIFIED } from "./http/load.js";
import type { ServerStats } from "./http/server-config.js";
import { serverProcesses } from "./http/servers.js";

const SEGMENT_SECONDS = 10;
const CONNECTIONS = 16;
const SKUS = benchSkus("SOAK", 50);
/** Fresh orders every segment: a draft's lines are bounded, and a shop's orders keep coming. */
const ORDERS_PER_SEGMENT = 100;

/**
 * Receipts, lines asked for on fresh orders, and reads of stock, in turn. A receipt goes to an
 * even-numbered SKU and a line to an odd-numbered one, which never has stock: every line is priced,
 * checked against its order and refused by the StockItem (409, sold out). So the state the soak
 * builds stays bounded (a shop's reservations end when orders ship, and the bench's never ship):
 * what grows is the log of receipts, and what the run shows is the process, not its data.
 */
const mixed = (orders: ReadonlyArray<string>): (() => Call) => {
  let turn = 0;
  return () => {
    const at = turn++;
    const sku = SKUS[at % SKUS.length];
    return at % 2 === 0
      ? { path: `/stock/${sku}/receive`, body: { quantity: 1 } }
      : { path: `/orders/${orders[at % orders.length]}/items`, body: { sku, quantity: 1 } };
  };
};

/**
 * `npm run bench -- --soak [--soak-minutes=N]` (30 by default; not in CI): the warehouse on
 * PostgreSQL under mixed traffic, segment after segment, its RSS and event-loop delay sampled in
 * its own process after each. Flat is the verdict: the last minute against the first.
 * `--soak-rate=N` holds the commands at N per second (and the reads at a tenth of that), so a run
 * of hours is a steady shop rather than a machine at its limit.
 */
/** Least squares, in units per hour: what a growth that the first and last minutes miss would show. */
const slopePerHour = (points: ReadonlyArray<{ minute: number; value: number }>): number => {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.minute, 0) / n;
  const my = points.reduce((a, p) => a + p.value, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.minute - mx) * (p.value - my), 0);
  const sxx = points.reduce((a, p) => a + (p.minute - mx) ** 2, 0);
  return sxx === 0 ? 0 : (sxy / sxx) * 60;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const soak = (minutes: number, rate?: number): Bench => ({
  name: "soak",
  run: async (context) => {
    const servers = serverProcesses();
    try {
      const database = await context.databases.get("postgres");
      const server = await servers.start({
        kind: "warehouse",
        store: database.serverStore("soak"),
        skus: SKUS,
        metrics: true,
      });
      const samples: Array<ServerStats & { minute: number; okPerSecond: number; p99Ms: number }> =
        [];
      const began = performance.now();
      const elapsedMinutes = () => (performance.now() - began) / 60_000;
      await server.stats();
      while (elapsedMinutes() < minutes) {
        const orders = await createOrders(server.url, ORDERS_PER_SEGMENT, UNVERIFIED);
        const reads = (async () => {
          const end = performance.now() + SEGMENT_SECONDS * 1_000;
          while (performance.now() < end) {
            const sku = SKUS[Math.floor(Math.random() * SKUS.length)];
            await get(server.url, `/stock/${sku}`, UNVERIFIED);
            if (rate !== undefined) await sleep(10_000 / rate);
          }
        })();
        const load = await hammer({
          url: server.url,
          connections: CONNECTIONS,
          seconds: SEGMENT_SECONDS,
          next: mixed(orders),
          headers: UNVERIFIED,
          ...(rate === undefined ? {} : { rate }),
        });
        await reads;
        const stats = await server.stats();
        const minute = elapsedMinutes();
        samples.push({ ...stats, minute, okPerSecond: load.okPerSecond, p99Ms: load.p99Ms });
        context.log(
          `soak: ${minute.toFixed(1)} min, rss ${stats.rssMiB.toFixed(0)} MiB, heap ${stats.heapUsedMiB.toFixed(0)} MiB, external ${stats.externalMiB.toFixed(0)} MiB (buffers ${stats.arrayBuffersMiB.toFixed(0)}), loop p99 ${stats.loopDelayP99Ms.toFixed(1)} ms, ${load.okPerSecond.toFixed(0)} ok/s`,
        );
      }
      await server.stop();
      const window = Math.min(1, minutes / 3);
      const first = samples.filter((s) => s.minute <= window);
      const last = samples.filter((s) => s.minute >= elapsedMinutes() - window);
      const mean = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const of = (key: keyof ServerStats) => ({
        first: mean(first.map((s) => s[key])),
        last: mean(last.map((s) => s[key])),
      });
      const rss = of("rssMiB");
      const loop = of("loopDelayP99Ms");
      const secondHalf = samples.filter((s) => s.minute >= elapsedMinutes() / 2);
      const slope = (key: keyof ServerStats) =>
        slopePerHour(secondHalf.map((s) => ({ minute: s.minute, value: s[key] })));
      const extra = {
        minutes: elapsedMinutes(),
        rate: rate ?? "unbounded",
        perHourOverSecondHalf: {
          rssMiB: slope("rssMiB"),
          heapUsedMiB: slope("heapUsedMiB"),
          externalMiB: slope("externalMiB"),
          arrayBuffersMiB: slope("arrayBuffersMiB"),
        },
        external: of("externalMiB"),
        arrayBuffers: of("arrayBuffersMiB"),
        segments: samples.length,
        rss,
        heapUsed: of("heapUsedMiB"),
        loopDelayP99: loop,
        loopDelayMaxMs: Math.max(...samples.map((s) => s.loopDelayMaxMs)),
        okPerSecond: {
          first: mean(first.map((s) => s.okPerSecond)),
          last: mean(last.map((s) => s.okPerSecond)),
        },
        samples,
      };
      context.report({
        bench: "soak",
        name: `RSS, last ${window.toFixed(1)} min against the first, ${minutes} min of mixed traffic`,
        store: "postgres",
        unit: "MiB",
        value: rss.last,
        baseline: rss.first,
        baselineName: "first minutes",
        extra,
      });
      context.report({
        bench: "soak",
        name: `event-loop delay p99, last ${window.toFixed(1)} min against the first`,
        store: "postgres",
        unit: "ms",
        value: loop.last,
        baseline: loop.first,
        baselineName: "first minutes",
      });
    } finally {
      await servers.stopAll();
    }
  },
});
