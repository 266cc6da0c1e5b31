import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draftOrder, sofa, type WarehouseWorld, warehouseWorld } from "./test-world.js";

let w: WarehouseWorld;
let orderId: string;
let lineId: string;
beforeAll(async () => {
  w = await warehouseWorld();
  orderId = await draftOrder(w);
  lineId = (await w.call("POST", `/orders/${orderId}/items`, { sku: sofa.sku, quantity: 1 })).body
    .lineId;
});
afterAll(() => w.close());

interface Endpoint {
  /** The route as the contract names it. */
  readonly route: string;
  readonly method: string;
  /** A path, built once the order exists. */
  readonly path: () => string;
  /** A valid body, and one with every field of the wrong type. */
  readonly body?: Readonly<Record<string, unknown>>;
  readonly wrong?: Readonly<Record<string, unknown>>;
}

const commands: ReadonlyArray<Endpoint> = [
  {
    route: "POST /orders",
    method: "POST",
    path: () => "/orders",
    body: { customerId: "c-1" },
    wrong: { customerId: 42 },
  },
  {
    route: "POST /orders/:orderId/items",
    method: "POST",
    path: () => `/orders/${orderId}/items`,
    body: { sku: sofa.sku, quantity: 1 },
    wrong: { sku: "lower case", quantity: "1" },
  },
  {
    route: "DELETE /orders/:orderId/items/:lineId",
    method: "DELETE",
    path: () => `/orders/${orderId}/items/${lineId}`,
  },
  {
    route: "POST /orders/:orderId/place",
    method: "POST",
    path: () => `/orders/${orderId}/place`,
    body: { deliveryAddress: "Main St 1" },
    wrong: { deliveryAddress: ["Main St 1"] },
  },
  {
    route: "POST /orders/:orderId/start-processing",
    method: "POST",
    path: () => `/orders/${orderId}/start-processing`,
  },
  {
    route: "POST /orders/:orderId/mark-assembled",
    method: "POST",
    path: () => `/orders/${orderId}/mark-assembled`,
  },
  {
    route: "POST /orders/:orderId/hand-to-courier",
    method: "POST",
    path: () => `/orders/${orderId}/hand-to-courier`,
    body: { courierId: "anna" },
    wrong: { courierId: "" },
  },
  {
    route: "POST /orders/:orderId/cancel",
    method: "POST",
    path: () => `/orders/${orderId}/cancel`,
    body: { reason: "moved" },
    wrong: { reason: " " },
  },
  {
    route: "POST /stock/:sku/receive",
    method: "POST",
    path: () => `/stock/${sofa.sku}/receive`,
    body: { quantity: 1 },
    wrong: { quantity: 0.5 },
  },
];
const queries: ReadonlyArray<Endpoint> = [
  { route: "GET /orders/:orderId", method: "GET", path: () => `/orders/${orderId}` },
  { route: "GET /stock/:sku", method: "GET", path: () => `/stock/${sofa.sku}` },
  { route: "GET /stock?sku=", method: "GET", path: () => `/stock?sku=${sofa.sku}` },
  { route: "GET /queue", method: "GET", path: () => "/queue" },
];

interface Case {
  readonly name: string;
  readonly method: string;
  readonly path: () => string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly status: number;
  readonly code: string;
  /** The fields the problem must name, sorted. */
  readonly fields?: ReadonlyArray<string>;
}

const fieldsOf = (body: Readonly<Record<string, unknown>>) =>
  Object.keys(body)
    .map((k) => `body.${k}`)
    .sort();

/** The endpoint's valid request with one thing changed, and how it must be refused. */
const refused = (
  e: Endpoint,
  what: string,
  change: Pick<Case, "body" | "headers">,
  answer: Pick<Case, "status" | "code" | "fields">,
): Case => ({ ...e, ...change, ...answer, name: `${e.route}: ${what}` });

const invalid = (
  e: Endpoint,
  what: string,
  change: Pick<Case, "body" | "headers">,
  fields: ReadonlyArray<string>,
): Case => refused(e, what, change, { status: 400, code: "INVALID_REQUEST", fields });

const badHeader = (e: Endpoint, what: string, header: string, value: string): Case =>
  invalid(e, what, { headers: { [header]: value } }, [`header.${header}`]);

/** The same refusals for every endpoint, so none is left out. */
const everywhere = (): ReadonlyArray<Case> => [
  ...[...commands, ...queries].map((e) =>
    badHeader(e, "a bad X-Correlation-Id", "x-correlation-id", "not valid!"),
  ),
  ...commands.flatMap(
    (e): ReadonlyArray<Case> => [
      badHeader(e, "a bad If-Match", "if-match", "3"),
      badHeader(e, "a list of entity tags in If-Match", "if-match", '"1", "2"'),
      refused(e, "malformed JSON", { body: '{"a":' }, { status: 400, code: "MALFORMED_JSON" }),
      refused(
        e,
        "a huge body",
        { body: { ...e.body, padding: "x".repeat(200_000) } },
        { status: 413, code: "PAYLOAD_TOO_LARGE" },
      ),
    ],
  ),
  // Idempotency keys belong to POSTs; a DELETE is idempotent by itself.
  ...commands
    .filter((e) => e.method === "POST")
    .flatMap((e) => [
      badHeader(e, "an Idempotency-Key with a space", "idempotency-key", "two words"),
      badHeader(e, "an Idempotency-Key too long", "idempotency-key", "k".repeat(256)),
    ]),
  ...commands.flatMap(
    (e): ReadonlyArray<Case> =>
      e.body === undefined || e.wrong === undefined
        ? []
        : [
            invalid(e, "missing fields", { body: {} }, fieldsOf(e.body)),
            invalid(e, "no body at all", { body: undefined }, fieldsOf(e.body)),
            // Fields the API does not know are ignored, not named.
            invalid(
              e,
              "wrong types",
              { body: { ...e.wrong, unknownField: true } },
              fieldsOf(e.wrong),
            ),
          ],
  ),
];

const particular: ReadonlyArray<Case> = [
  {
    name: "an order id that is not an id",
    method: "GET",
    path: () => "/orders/not%20an%20id",
    status: 400,
    code: "INVALID_REQUEST",
    fields: ["path.orderId"],
  },
  {
    name: "an order id too long",
    method: "POST",
    path: () => `/orders/${"o".repeat(101)}/cancel`,
    body: { reason: "x" },
    status: 400,
    code: "INVALID_REQUEST",
    fields: ["path.orderId"],
  },
  {
    name: "a line id that is not an id",
    method: "DELETE",
    path: () => `/orders/${orderId}/items/%2Fetc`,
    status: 400,
    code: "INVALID_REQUEST",
    fields: ["path.lineId"],
  },
  {
    name: "a lower-case SKU",
    method: "GET",
    path: () => "/stock/sofa",
    status: 400,
    code: "INVALID_REQUEST",
    fields: ["path.sku"],
  },
  {
    name: "every bad part at once",
    method: "POST",
    path: () => "/orders/bad%20id/place",
    body: { deliveryAddress: 1 },
    headers: { "if-match": "W/3" },
    status: 400,
    code: "INVALID_REQUEST",
    fields: ["body.deliveryAddress", "header.if-match", "path.orderId"],
  },
  {
    name: "a body that is an array",
    method: "POST",
    path: () => "/orders",
    body: [{ customerId: "c-1" }],
    status: 400,
    code: "INVALID_REQUEST",
    fields: ["body"],
  },
  {
    name: "a quantity over the limit",
    method: "POST",
    path: () => `/orders/${orderId}/items`,
    body: { sku: sofa.sku, quantity: 100_001 },
    status: 400,
    code: "INVALID_REQUEST",
    fields: ["body.quantity"],
  },
  {
    name: "a stock query without SKUs",
    method: "GET",
    path: () => "/stock",
    status: 400,
    code: "INVALID_REQUEST",
    fields: ["query.sku"],
  },
  {
    name: "a stock query with a bad SKU",
    method: "GET",
    path: () => `/stock?sku=${sofa.sku}&sku=bad`,
    status: 400,
    code: "INVALID_REQUEST",
    fields: ["query.sku.1"],
  },
  {
    name: "an unknown order",
    method: "GET",
    path: () => "/orders/no-such-order",
    status: 404,
    code: "ORDER_NOT_FOUND",
  },
  ...["place", "start-processing", "mark-assembled", "hand-to-courier", "cancel", "items"].map(
    (action): Case => ({
      name: `an unknown order: ${action}`,
      method: "POST",
      path: () => `/orders/no-such-order/${action}`,
      body: { deliveryAddress: "a", courierId: "anna", reason: "r", sku: sofa.sku, quantity: 1 },
      status: 404,
      code: "ORDER_NOT_FOUND",
    }),
  ),
  {
    name: "an unknown line",
    method: "DELETE",
    path: () => `/orders/${orderId}/items/no-such-line`,
    status: 404,
    code: "LINE_NOT_FOUND",
  },
  {
    name: "an unknown product",
    method: "POST",
    path: () => `/orders/${orderId}/items`,
    body: { sku: "NO-SUCH-SKU", quantity: 1 },
    status: 404,
    code: "PRODUCT_NOT_FOUND",
  },
  {
    name: "an unknown route",
    method: "PUT",
    path: () => `/orders/${orderId}`,
    status: 404,
    code: "ROUTE_NOT_FOUND",
  },
  {
    name: "a body that is not JSON",
    method: "POST",
    path: () => "/orders",
    body: "customerId=c-1",
    headers: { "content-type": "text/plain" },
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
  },
];

describe("bad input", () => {
  it.each([...everywhere(), ...particular].map((c) => [c.name, c] as const))(
    "%s",
    async (_name, c) => {
      const before = w.events().length;
      const res = await w.call(c.method, c.path(), c.body, c.headers);
      expect(res.status, JSON.stringify(res.body)).toBe(c.status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body).toMatchObject({ code: c.code, status: c.status });
      expect(res.body.type).toBe(`urn:mebel:problem:${c.code.toLowerCase().replaceAll("_", "-")}`);
      if (c.fields !== undefined) {
        expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(c.fields);
      }
      expect(w.events().length).toBe(before);
    },
  );
});
