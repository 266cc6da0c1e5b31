import { createLogger, type Listening, listen } from "@mebel/adapter-http";
import { testIssuer } from "@mebel/adapter-http/testing";
import { createMemoryCatalog, createMemoryIdempotencyStore } from "@mebel/adapter-memory";
import { Product, unsafeDecode } from "@mebel/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCatalogApp } from "./app.js";

const sofa = unsafeDecode(Product)({ sku: "SOFA-OSLO-3", name: "Oslo sofa", price: 49_900 });
const lamp = unsafeDecode(Product)({ sku: "LAMP-ARC", name: "Arc lamp", price: 8_900 });

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the answer holds
  readonly body: any;
}

let server: Listening;
let products: ReturnType<typeof createMemoryCatalog>;

beforeEach(async () => {
  products = createMemoryCatalog([sofa, lamp]);
  const app = createCatalogApp({
    products,
    idempotency: createMemoryIdempotencyStore(),
    logger: createLogger("catalog-test", "silent"),
    guard: (await testIssuer()).guard,
  });
  server = await listen(app, 0);
});
afterEach(() => server.close());

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
      ...(await (await testIssuer()).bearer("catalog-1", ["catalog"])),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
};

describe("catalog routes", () => {
  it("lists products with their versions", async () => {
    const res = await call("GET", "/products");
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { ...lamp, version: 1 },
      { ...sofa, version: 1 },
    ]);
  });

  it("answers one product with its version as ETag, or 404", async () => {
    const found = await call("GET", "/products/SOFA-OSLO-3");
    expect(found.status).toBe(200);
    expect(found.headers.get("etag")).toBe('"1"');
    expect(found.body).toEqual({ ...sofa, version: 1 });
    const missing = await call("GET", "/products/NOPE");
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("PRODUCT_NOT_FOUND");
  });

  it("creates a product, drops unknown fields, and refuses a second with the same sku", async () => {
    const chair = { sku: "CHAIR-1", name: "Chair", price: 4_500 };
    const created = await call("POST", "/products", { ...chair, colour: "red" });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/products/CHAIR-1");
    expect(created.headers.get("etag")).toBe('"1"');
    expect(created.body).toEqual({ ...chair, version: 1 });
    expect((await call("GET", "/products/CHAIR-1")).body).toEqual({ ...chair, version: 1 });
    const again = await call("POST", "/products", chair);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("PRODUCT_ALREADY_EXISTS");
  });

  it("replays a create retried with the same Idempotency-Key", async () => {
    const chair = { sku: "CHAIR-2", name: "Chair", price: 4_500 };
    const key = { "idempotency-key": "create-chair-2" };
    const first = await call("POST", "/products", chair, key);
    const retry = await call("POST", "/products", chair, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    const reused = await call("POST", "/products", { ...chair, price: 1 }, key);
    expect(reused.status).toBe(422);
  });

  it("re-prices, bumping the version, and honours If-Match", async () => {
    const repriced = await call(
      "POST",
      "/products/LAMP-ARC/price",
      { price: 9_900 },
      { "if-match": '"1"' },
    );
    expect(repriced.status).toBe(200);
    expect(repriced.headers.get("etag")).toBe('"2"');
    expect(repriced.body).toEqual({ ...lamp, price: 9_900, version: 2 });
    const stale = await call(
      "POST",
      "/products/LAMP-ARC/price",
      { price: 1 },
      { "if-match": '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe("PRECONDITION_FAILED");
    const unconditional = await call("POST", "/products/LAMP-ARC/price", { price: 10_900 });
    expect(unconditional.body.version).toBe(3);
    const missing = await call("POST", "/products/NOPE/price", { price: 1 });
    expect(missing.status).toBe(404);
  });

  it("answers /health and /ready", async () => {
    const health = await call("GET", "/health");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok", subscribers: [] });
    expect((await call("GET", "/ready")).status).toBe(200);
  });
});

describe("bad input", () => {
  const cases: ReadonlyArray<{
    name: string;
    method: string;
    path: string;
    body?: unknown;
    headers?: Record<string, string>;
    status: number;
    code: string;
    fields?: ReadonlyArray<string>;
  }> = [
    {
      name: "bad sku in path",
      method: "GET",
      path: "/products/lower-case",
      status: 400,
      code: "INVALID_REQUEST",
      fields: ["path.sku"],
    },
    {
      name: "wrong types",
      method: "POST",
      path: "/products",
      body: { sku: 3, name: "", price: -1 },
      status: 400,
      code: "INVALID_REQUEST",
      fields: ["body.name", "body.price", "body.sku"],
    },
    {
      name: "missing fields",
      method: "POST",
      path: "/products",
      body: {},
      status: 400,
      code: "INVALID_REQUEST",
      fields: ["body.name", "body.price", "body.sku"],
    },
    {
      name: "no body",
      method: "POST",
      path: "/products",
      status: 400,
      code: "INVALID_REQUEST",
      fields: ["body.name", "body.price", "body.sku"],
    },
    {
      name: "a fractional price",
      method: "POST",
      path: "/products/LAMP-ARC/price",
      body: { price: 1.5 },
      status: 400,
      code: "INVALID_REQUEST",
      fields: ["body.price"],
    },
    {
      name: "a price as a string",
      method: "POST",
      path: "/products/LAMP-ARC/price",
      body: { price: "100" },
      status: 400,
      code: "INVALID_REQUEST",
      fields: ["body.price"],
    },
    {
      name: "bad sku on re-price",
      method: "POST",
      path: "/products/x y/price",
      body: { price: 1 },
      status: 400,
      code: "INVALID_REQUEST",
      fields: ["path.sku"],
    },
    {
      name: "malformed JSON",
      method: "POST",
      path: "/products",
      body: "{nope",
      status: 400,
      code: "MALFORMED_JSON",
    },
    {
      name: "a huge body",
      method: "POST",
      path: "/products",
      body: { sku: "HUGE", name: "x".repeat(100_000), price: 1 },
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
    },
    {
      name: "a bad If-Match",
      method: "POST",
      path: "/products/LAMP-ARC/price",
      body: { price: 1 },
      headers: { "if-match": "1" },
      status: 400,
      code: "INVALID_REQUEST",
      fields: ["header.if-match"],
    },
    {
      name: "a bad Idempotency-Key",
      method: "POST",
      path: "/products",
      body: { sku: "K", name: "k", price: 1 },
      headers: { "idempotency-key": "has space" },
      status: 400,
      code: "INVALID_REQUEST",
      fields: ["header.idempotency-key"],
    },
    {
      name: "a bad X-Correlation-Id",
      method: "POST",
      path: "/products",
      body: { sku: "K", name: "k", price: 1 },
      headers: { "x-correlation-id": "-".repeat(101) },
      status: 400,
      code: "INVALID_REQUEST",
      fields: ["header.x-correlation-id"],
    },
    {
      name: "an unknown route",
      method: "DELETE",
      path: "/products/LAMP-ARC",
      status: 404,
      code: "ROUTE_NOT_FOUND",
    },
  ];

  it.each(cases)("$name: $status $code, nothing changed", async (c) => {
    const before = await products.list();
    const res = await call(c.method, c.path, c.body, c.headers);
    expect(res.status).toBe(c.status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.code).toBe(c.code);
    if (c.fields !== undefined) {
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(c.fields);
    }
    expect(await products.list()).toEqual(before);
  });

  it("refuses a body that is not JSON with 415", async () => {
    const res = await fetch(`${server.url}/products`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "sku=A",
    });
    expect(res.status).toBe(415);
  });
});
