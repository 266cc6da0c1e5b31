import { describe, expect, it } from "vitest";
import { useSiteFixture } from "./test-support/site-fixture.js";

const shop = useSiteFixture();

interface BadRequest {
  readonly method: string;
  readonly path: string;
  /** Sent as it is, as JSON unless `type` says otherwise. */
  readonly body?: string;
  readonly type?: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  /** The fields the problem must name. */
  readonly fields?: ReadonlyArray<string>;
}

const json = JSON.stringify;
const order = "/customers/olga/orders/order-1";

const cases: ReadonlyArray<BadRequest> = [
  { method: "GET", path: "/products?limit=0", status: 400, fields: ["query.limit"] },
  { method: "GET", path: "/products?limit=51", status: 400, fields: ["query.limit"] },
  { method: "GET", path: "/products?limit=1&limit=2", status: 400, fields: ["query.limit"] },
  { method: "GET", path: "/products?offset=-1", status: 400, fields: ["query.offset"] },
  { method: "GET", path: "/customers/bad%20id/orders", status: 400, fields: ["path.customerId"] },
  { method: "GET", path: "/customers/olga/orders/a%2Fb", status: 400, fields: ["path.orderId"] },
  { method: "GET", path: "/customers/-x/notifications", status: 400, fields: ["path.customerId"] },
  { method: "GET", path: "/customers/bad%20id/events", status: 400, fields: ["path.customerId"] },
  { method: "POST", path: "/customers/bad%20id/orders", status: 400, fields: ["path.customerId"] },
  {
    method: "POST",
    path: "/customers/olga/orders",
    body: json({ customerId: "boris" }),
    status: 400,
    fields: ["body"],
  },
  {
    method: "POST",
    path: `${order}/items`,
    body: json({ sku: "sofa", quantity: 0 }),
    status: 400,
    fields: ["body.sku", "body.quantity"],
  },
  {
    method: "POST",
    path: `${order}/items`,
    body: json({ sku: "SOFA-OSLO-3", quantity: 1.5 }),
    status: 400,
    fields: ["body.quantity"],
  },
  { method: "POST", path: `${order}/items`, status: 400, fields: ["body"] },
  {
    method: "DELETE",
    path: `${order}/items/bad%20line`,
    status: 400,
    fields: ["path.lineId"],
  },
  {
    method: "DELETE",
    path: `${order}/items/line-1`,
    body: json({ all: true }),
    status: 400,
    fields: ["body"],
  },
  {
    method: "POST",
    path: `${order}/place`,
    body: json({}),
    status: 400,
    fields: ["body.deliveryAddress"],
  },
  {
    method: "POST",
    path: `${order}/place`,
    body: json({ deliveryAddress: "   " }),
    status: 400,
    fields: ["body.deliveryAddress"],
  },
  {
    method: "POST",
    path: `${order}/cancel`,
    body: json({ reason: "x".repeat(501) }),
    status: 400,
    fields: ["body.reason"],
  },
  { method: "POST", path: `${order}/cancel`, body: "{oops", status: 400 },
  { method: "POST", path: `${order}/cancel`, body: "reason", type: "text/plain", status: 415 },
  {
    method: "POST",
    path: `${order}/cancel`,
    body: json({ reason: "x".repeat(20_000) }),
    status: 413,
  },
  {
    method: "POST",
    path: `${order}/place`,
    body: json({ deliveryAddress: "Main street 1" }),
    headers: { "if-match": "yesterday" },
    status: 400,
    fields: ["header.if-match"],
  },
  {
    method: "POST",
    path: "/customers/olga/orders",
    headers: { "idempotency-key": "x".repeat(256) },
    status: 400,
    fields: ["header.idempotency-key"],
  },
  {
    method: "GET",
    path: "/customers/olga/orders",
    headers: { "x-correlation-id": "not valid!" },
    status: 400,
    fields: ["header.x-correlation-id"],
  },
  { method: "GET", path: "/nowhere", status: 404 },
];

describe("bad input", () => {
  it.each(cases)("$method $path $headers is a $status problem", async (bad) => {
    const before = shop().warehouse.received.length;
    const res = await fetch(`${shop().url}${bad.path}`, {
      method: bad.method,
      headers: {
        ...(bad.body === undefined ? {} : { "content-type": bad.type ?? "application/json" }),
        ...shop().staff,
        ...bad.headers,
      },
      ...(bad.body === undefined ? {} : { body: bad.body }),
    });
    expect(res.status).toBe(bad.status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await res.json()) as { errors?: ReadonlyArray<{ path: string }> };
    if (bad.fields !== undefined) {
      expect(problem.errors?.map((e) => e.path).sort()).toEqual([...bad.fields].sort());
    }
    // Refused at the edge: the warehouse never heard of it.
    expect(shop().warehouse.received.length).toBe(before);
  });
});
