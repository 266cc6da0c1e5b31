import { appendedAt } from "@mebel/adapter-http/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { couriers, expectProblem, type Fixture, json, startFixture } from "./test-fixture.js";

let shop: Fixture;
beforeEach(async () => {
  // Without the assignment manager every delivery waits for a dispatcher, as after an outage.
  shop = await startFixture({
    couriers: couriers(
      '[{"id":"anna","name":"Anna","capacity":1},{"id":"boris","name":"Boris","capacity":2}]',
    ),
    without: ["courier-assignment"],
  });
  for (const id of ["o-1", "o-2"]) await shop.assembledOrder(id);
  await shop.settle();
});
afterEach(() => shop.close());

const assign = (orderId: string, courierId: unknown, headers: Record<string, string> = {}) =>
  shop.post(`/deliveries/${orderId}/assign`, { courierId }, headers);

describe("manual assignment", () => {
  it("assigns a waiting delivery to a courier with room", async () => {
    const res = await assign("o-1", "anna");
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(await json(res)).toMatchObject({
      orderId: "o-1",
      status: "assigned",
      courierId: "anna",
      position: appendedAt(res),
    });
  });

  it("refuses a courier at capacity, writing nothing", async () => {
    await assign("o-1", "anna");
    await shop.settle();
    const before = shop.eventCount();
    const res = await assign("o-2", "anna");
    const problem = await expectProblem(res, 409, "COURIER_AT_CAPACITY");
    expect(problem).toMatchObject({ details: { courierId: "anna", capacity: 1, active: 1 } });
    expect(shop.eventCount()).toBe(before);
  });

  it("refuses a courier nobody configured", async () => {
    const res = await assign("o-1", "zoe");
    await expectProblem(res, 404, "COURIER_NOT_FOUND");
  });

  it("refuses to take a delivery from the courier who has it, and repeats nothing for the same one", async () => {
    await assign("o-1", "anna");
    await shop.settle();
    const before = shop.eventCount();

    const other = await assign("o-1", "boris");
    await expectProblem(other, 409, "DELIVERY_ALREADY_ASSIGNED");

    // Anna is full, but this delivery is already hers: a retry is a no-op, not a refusal.
    const same = await assign("o-1", "anna");
    expect(same.status).toBe(200);
    expect(same.headers.get("etag")).toBe('"1"');
    expect(shop.eventCount()).toBe(before);
  });

  it("refuses a delivery that was never requested", async () => {
    const res = await assign("o-9", "boris");
    await expectProblem(res, 404, "DELIVERY_NOT_FOUND");
  });

  it("honours If-Match: a stale revision is 412, the current one assigns", async () => {
    const stale = await assign("o-2", "boris", { "if-match": '"4"' });
    await expectProblem(stale, 412, "PRECONDITION_FAILED");
    const current = await assign("o-2", "boris", { "if-match": '"0"' });
    expect(current.status).toBe(200);
    expect(current.headers.get("etag")).toBe('"1"');
  });
});
