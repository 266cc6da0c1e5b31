/**
 * The figures of docs/benchmarks.md's web section: the initial JavaScript the app's page loads
 * (raw and gzip), and the time to first render on loopback in Debian's Chromium. Measured, never
 * asserted: `npm run measure -w @mebel/web` after `npm run build:web`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromiumPath, launchChromium, noChromiumReason } from "./e2e/chromium.js";
import { startStack } from "./e2e/stack.js";
import { WEB_DIST } from "./web-app.js";

const RUNS = 15;

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

const initialAssets = (): ReadonlyArray<string> => {
  const html = readFileSync(join(WEB_DIST, "index.html"), "utf8");
  return [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1] ?? "");
};

const sizes = () => {
  const rows = initialAssets().map((name) => {
    const bytes = readFileSync(join(WEB_DIST, "assets", name));
    return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const js = rows.filter((r) => r.name.endsWith(".js"));
  const all = readdirSync(join(WEB_DIST, "assets")).filter((n) => n.endsWith(".js"));
  return { rows, js, chunks: all.length };
};

const quantile = (xs: ReadonlyArray<number>, q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

const firstRender = async () => {
  const stack = await startStack();
  const browser = await launchChromium();
  const fcp: number[] = [];
  const listed: number[] = [];
  try {
    for (let i = 0; i < RUNS + 1; i += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${stack.site}/`, { waitUntil: "commit" });
      // The listing on screen: the app rendered, with the products and their availability.
      await page.waitForSelector(".products li", { timeout: 20_000 });
      const timing = await page.evaluate(() => {
        const perf = (
          globalThis as unknown as {
            performance: { getEntriesByName: (n: string) => Array<{ startTime: number }> };
          }
        ).performance;
        return { fcp: perf.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN };
      });
      const products = await page.evaluate(() => {
        const perf = (globalThis as unknown as { performance: { now: () => number } }).performance;
        return perf.now();
      });
      // The first run warms the server's caches and the disk: it is not counted.
      if (i > 0) {
        fcp.push(timing.fcp);
        listed.push(products);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
  return { fcp, listed };
};

const main = async () => {
  const { rows, js, chunks } = sizes();
  for (const r of rows) console.log(`${r.name}: ${kB(r.raw)} raw, ${kB(r.gzip)} gzip`);
  console.log(
    `initial JavaScript: ${kB(js.reduce((n, r) => n + r.raw, 0))} raw, ` +
      `${kB(js.reduce((n, r) => n + r.gzip, 0))} gzip, ${chunks} chunk(s) in all`,
  );
  if (chromiumPath === undefined) {
    console.log(`first render not measured: ${noChromiumReason}`);
    return;
  }
  const { fcp, listed } = await firstRender();
  const line = (what: string, xs: ReadonlyArray<number>) =>
    console.log(
      `${what} over ${xs.length} cold page loads: median ${quantile(xs, 0.5).toFixed(0)} ms, ` +
        `p90 ${quantile(xs, 0.9).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`,
    );
  line("first contentful paint", fcp);
  line("products listed (upper bound)", listed);
};

await main();
