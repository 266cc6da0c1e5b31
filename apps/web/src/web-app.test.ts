import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo, Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWebApp } from "./web-app.js";

const serve = (app: express.Express): Promise<{ url: string; server: Server }> =>
  new Promise((done) => {
    const server = app.listen(0, "127.0.0.1", () => {
      done({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server });
    });
  });

const close = (server: Server) => new Promise<void>((done) => server.close(() => done()));

describe("the web app in front of the site", () => {
  let dist: string;
  let upstream: { url: string; server: Server };
  let web: { url: string; server: Server };
  const seen: Array<{
    method: string;
    url: string;
    headers: Record<string, unknown>;
    body: string;
  }> = [];

  beforeAll(async () => {
    dist = await mkdtemp(join(tmpdir(), "mebel-web-"));
    await writeFile(join(dist, "index.html"), "<!doctype html><title>app</title>");
    const warehouse = express();
    warehouse.use(express.text({ type: () => true }));
    warehouse.all(/.*/, (req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: req.body ?? "" });
      if (req.url === "/orders") {
        res.status(201).location("/orders/o-1").setHeader("ETag", '"0"');
        res.setHeader("X-Internal", "secret");
        res.json({ orderId: "o-1" });
        return;
      }
      res.status(409).type("application/problem+json").send('{"code":"INSUFFICIENT_STOCK"}');
    });
    upstream = await serve(warehouse);
    const site = express();
    site.get("/products", (_req, res) => {
      res.json({ from: "site" });
    });
    site.get("/orders", (_req, res) => {
      res.json({ from: "site" });
    });
    web = await serve(
      withWebApp(site, {
        dist,
        upstreams: {
          warehouse: upstream.url,
          delivery: "http://127.0.0.1:9",
          catalog: upstream.url,
        },
      }),
    );
  });

  afterAll(async () => {
    await close(web.server);
    await close(upstream.server);
    await rm(dist, { recursive: true, force: true });
  });

  it("forwards a command with the caller's token, key and body, and relays the answer", async () => {
    const res = await fetch(`${web.url}/api/warehouse/orders`, {
      method: "POST",
      headers: {
        authorization: "Bearer t0k3n",
        "content-type": "application/json",
        "idempotency-key": "k-1",
        cookie: "mebel_refresh=never-forwarded",
      },
      body: JSON.stringify({ customerId: "olga" }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ orderId: "o-1" });
    expect(res.headers.get("etag")).toBe('"0"');
    expect(res.headers.get("location")).toBe("/api/warehouse/orders/o-1");
    expect(res.headers.get("x-internal")).toBeNull();
    const got = seen.at(-1);
    expect(got?.method).toBe("POST");
    expect(got?.headers.authorization).toBe("Bearer t0k3n");
    expect(got?.headers["idempotency-key"]).toBe("k-1");
    expect(got?.headers.cookie).toBeUndefined();
    expect(got?.body).toBe('{"customerId":"olga"}');
  });

  it("relays a refusal as it is, with its query string", async () => {
    const res = await fetch(`${web.url}/api/warehouse/stock?sku=A&sku=B`);
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(seen.at(-1)?.url).toBe("/stock?sku=A&sku=B");
  });

  it("says when a service cannot be reached, and knows no other service", async () => {
    const down = await fetch(`${web.url}/api/delivery/deliveries`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { code: string }).code).toBe("UPSTREAM_UNAVAILABLE");
    const unknown = await fetch(`${web.url}/api/accounts/x`);
    expect(unknown.status).toBe(404);
  });

  it("answers a page with the app, and the same path asked for JSON with the site", async () => {
    const page = await fetch(`${web.url}/orders`, { headers: { accept: "text/html" } });
    expect(await page.text()).toContain("<title>app</title>");
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    const api = await fetch(`${web.url}/orders`, { headers: { accept: "application/json" } });
    expect(await api.json()).toEqual({ from: "site" });
    const route = await fetch(`${web.url}/products`, { headers: { accept: "text/html" } });
    expect(await route.json()).toEqual({ from: "site" });
  });

  it("serves no asset it does not have, and says so without a stack trace", async () => {
    const res = await fetch(`${web.url}/assets/missing.js`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.text()).not.toMatch(/ at |node_modules/);
  });

  it("refuses a body over the limit before it reaches a service", async () => {
    const before = seen.length;
    const res = await fetch(`${web.url}/api/warehouse/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe("PAYLOAD_TOO_LARGE");
    expect(seen.length).toBe(before);
  });
});
