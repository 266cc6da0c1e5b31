import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { couriers, expectProblem, type Fixture, startFixture } from "./test-fixture.js";

let shop: Fixture;
beforeAll(async () => {
  shop = await startFixture({
    couriers: couriers(
      '[{"id":"anna","name":"Anna","capacity":1},{"id":"boris","name":"Boris","capacity":5}]',
    ),
  });
  // o-1 is with anna (who is then full), o-2 with boris.
  for (const id of ["o-1", "o-2"]) await shop.assembledOrder(id);
  await shop.settle();
});
afterAll(() => shop.close());

interface BadRequest {
  readonly name: string;
  readonly send: () => Promise<Response>;
  readonly status: number;
  readonly code: string;
  readonly paths?: ReadonlyArray<string>;
}

const huge = { reason: "x".repeat(100_000) };
const post = (path: string, body?: unknown, headers?: Record<string, string>) =>
  shop.post(path, body, headers);

const badRequests: ReadonlyArray<BadRequest> = [
  {
    name: "an order id that is not an id",
    send: () => shop.get("/deliveries/not%20an%20id"),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["path.orderId"],
  },
  {
    name: "an unknown delivery",
    send: () => shop.get("/deliveries/o-404"),
    status: 404,
    code: "DELIVERY_NOT_FOUND",
  },
  {
    name: "a courier id of the wrong type",
    send: () => post("/deliveries/o-2/assign", { courierId: 7 }),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["body.courierId"],
  },
  {
    name: "an assignment with no body",
    send: () => post("/deliveries/o-2/assign"),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["body"],
  },
  {
    name: "every bad part of one request at once",
    send: () => post("/deliveries/bad%20id/assign", {}, { "if-match": "3" }),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["path.orderId", "body.courierId", "header.if-match"],
  },
  {
    name: "malformed JSON",
    send: () => post("/deliveries/o-2/assign", '{"courierId": '),
    status: 400,
    code: "MALFORMED_JSON",
  },
  {
    name: "a body that is not JSON",
    send: () => post("/deliveries/o-2/fail", "reason", { "content-type": "text/plain" }),
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
  },
  {
    name: "a huge body",
    send: () => post("/deliveries/o-2/fail", huge),
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
  },
  {
    name: "a failure without a reason",
    send: () => post("/deliveries/o-2/fail", {}),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["body.reason"],
  },
  {
    name: "a blank reason",
    send: () => post("/deliveries/o-2/fail", { reason: "   " }),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["body.reason"],
  },
  {
    name: "a reason that is a list",
    send: () => post("/deliveries/o-2/fail", { reason: ["late"] }),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["body.reason"],
  },
  {
    name: "a body that is an array",
    send: () => post("/deliveries/o-2/fail", [1, 2]),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["body"],
  },
  {
    name: "a completion of an unknown delivery",
    send: () => post("/deliveries/o-404/complete"),
    status: 404,
    code: "DELIVERY_NOT_FOUND",
  },
  {
    name: "a failure of an unknown delivery",
    send: () => post("/deliveries/o-404/fail", { reason: "lost" }),
    status: 404,
    code: "DELIVERY_NOT_FOUND",
  },
  {
    name: "an assignment of an unknown delivery",
    send: () => post("/deliveries/o-404/assign", { courierId: "boris" }),
    status: 404,
    code: "DELIVERY_NOT_FOUND",
  },
  {
    name: "an unknown courier",
    send: () => post("/deliveries/o-2/assign", { courierId: "zoe" }),
    status: 404,
    code: "COURIER_NOT_FOUND",
  },
  {
    name: "a cancellation without a reason",
    send: () => post("/deliveries/o-2/cancel", {}),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["body.reason"],
  },
  {
    name: "a cancellation with no body",
    send: () => post("/deliveries/o-2/cancel"),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["body"],
  },
  {
    name: "a cancellation reason that is not text",
    send: () => post("/deliveries/bad%20id/cancel", { reason: 42 }),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["path.orderId", "body.reason"],
  },
  {
    name: "a cancellation of an unknown delivery",
    send: () => post("/deliveries/o-404/cancel", { reason: "changed mind" }),
    status: 404,
    code: "DELIVERY_NOT_FOUND",
  },
  {
    name: "a rescheduling of an unknown delivery",
    send: () => post("/deliveries/o-404/reschedule"),
    status: 404,
    code: "DELIVERY_NOT_FOUND",
  },
  {
    name: "a rescheduling of a delivery that has not failed",
    send: () => post("/deliveries/o-1/reschedule"),
    status: 409,
    code: "INVALID_STATUS_TRANSITION",
  },
  {
    name: "a rescheduling with a stale If-Match",
    send: () => post("/deliveries/o-1/reschedule", undefined, { "if-match": '"0"' }),
    status: 412,
    code: "PRECONDITION_FAILED",
  },
  {
    name: "a cancellation with a stale If-Match",
    send: () => post("/deliveries/o-2/cancel", { reason: "changed mind" }, { "if-match": '"0"' }),
    status: 412,
    code: "PRECONDITION_FAILED",
  },
  {
    name: "an If-Match that lists two tags",
    send: () => post("/deliveries/o-2/complete", undefined, { "if-match": '"1", "2"' }),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["header.if-match"],
  },
  {
    name: "a stale If-Match",
    send: () => post("/deliveries/o-2/fail", { reason: "late" }, { "if-match": '"0"' }),
    status: 412,
    code: "PRECONDITION_FAILED",
  },
  {
    name: "a correlation id with spaces",
    send: () => shop.get("/couriers", { "x-correlation-id": "has spaces" }),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["header.x-correlation-id"],
  },
  {
    name: "an idempotency key with spaces",
    send: () => post("/deliveries/o-2/fail", { reason: "late" }, { "idempotency-key": "a b" }),
    status: 400,
    code: "INVALID_REQUEST",
    paths: ["header.idempotency-key"],
  },
  {
    name: "an unknown route",
    send: () => shop.get("/deliveries/o-2/history"),
    status: 404,
    code: "ROUTE_NOT_FOUND",
  },
  {
    name: "a method the API does not have",
    send: () => fetch(`${shop.url}/deliveries/o-2`, { method: "DELETE" }),
    status: 404,
    code: "ROUTE_NOT_FOUND",
  },
];

describe("bad input", () => {
  for (const bad of badRequests) {
    it(`answers ${bad.name} with ${bad.status} ${bad.code} and writes nothing`, async () => {
      const before = shop.eventCount();
      const problem = await expectProblem(await bad.send(), bad.status, bad.code);
      expect(problem.type).toBe(`urn:mebel:problem:${bad.code.toLowerCase().replaceAll("_", "-")}`);
      if (bad.paths !== undefined) {
        expect(problem.errors?.map((e) => e.path).sort()).toEqual([...bad.paths].sort());
      }
      expect(shop.eventCount()).toBe(before);
    });
  }
});

describe("Idempotency-Key", () => {
  it("answers a retry with the first answer and writes nothing twice", async () => {
    const headers = { "idempotency-key": "fail-o-2-once" };
    const first = await post("/deliveries/o-2/fail", { reason: "nobody home" }, headers);
    expect(first.status).toBe(200);
    const written = shop.eventCount();

    const again = await post("/deliveries/o-2/fail", { reason: "nobody home" }, headers);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(await again.json()).toEqual(await first.json());
    expect(shop.eventCount()).toBe(written);

    const reused = await post("/deliveries/o-2/fail", { reason: "wrong address" }, headers);
    await expectProblem(reused, 422, "IDEMPOTENCY_KEY_REUSED");
    expect(shop.eventCount()).toBe(written);
  });

  it("replays a refusal too, instead of deciding again", async () => {
    const headers = { "idempotency-key": "assign-o-1-to-boris" };
    const first = await post("/deliveries/o-1/assign", { courierId: "boris" }, headers);
    expect(first.status).toBe(409);
    const again = await post("/deliveries/o-1/assign", { courierId: "boris" }, headers);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    await expectProblem(again, 409, "DELIVERY_ALREADY_ASSIGNED");
  });
});
