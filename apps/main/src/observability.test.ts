import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AllInOne, call, signInStaff, startAllInOne } from "./test-process.js";

const METRICS_TOKEN = "process-scraper-token-0123456789abcdef";
const TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

/** `npm start`'s program from a cold start, scraped and traced as an operator would. */
describe("a running process's metrics and traces", () => {
  let app: AllInOne;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "mebel-observed-"));
    app = await startAllInOne(dataDir, {
      MEBEL_METRICS_TOKEN: METRICS_TOKEN,
      OTEL_TRACES_EXPORTER: "console",
    });
  });
  afterAll(async () => {
    if (app?.alive()) await app.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves /metrics to the scraper's token and an admin, and refuses anyone else", async () => {
    const scraper = { authorization: `Bearer ${METRICS_TOKEN}` };
    const response = await fetch(`${app.site}/metrics`, { headers: scraper });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(/^mebel_subscriber_lag_events\{subscriber="order-view\.v\d+"\} \d+$/m);
    expect(text).toMatch(/^mebel_subscriber_state\{subscriber="sweep\.orphans",state="running"\}/m);
    expect(text).toContain("process_resident_memory_bytes");
    for (const url of [app.site, app.catalog, app.warehouse, app.delivery]) {
      expect((await call("GET", `${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: scraper })).status).toBe(200);
    }
    const staff = await signInStaff(app.site);
    expect((await fetch(`${app.warehouse}/metrics`, { headers: staff.admin })).status).toBe(200);
    expect((await fetch(`${app.warehouse}/metrics`, { headers: staff.warehouse })).status).toBe(
      403,
    );
  });

  it("exports the spans of a request that came with a trace context, flushed at shutdown", async () => {
    const answer = await fetch(`${app.site}/products`, {
      headers: { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01` },
    });
    expect(answer.status).toBe(200);
    await app.kill("SIGTERM");
    expect(app.output()).toContain(TRACE_ID);
    expect(app.output()).toContain("GET /products");
  });
});
