import { appendedAt } from "@mebel/adapter-http/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { couriers, type Fixture, json, startFixture } from "./test-fixture.js";

interface Board {
  readonly awaitingCourier: ReadonlyArray<{ readonly orderId: string }>;
  readonly byCourier: Record<string, ReadonlyArray<{ readonly orderId: string }>>;
}

let shop: Fixture;
beforeEach(async () => {
  // Without the assignment manager the delivery waits for a dispatcher's command.
  shop = await startFixture({
    couriers: couriers('[{"id":"anna","name":"Anna","capacity":2}]'),
    without: ["courier-assignment"],
  });
  await shop.assembledOrder("o-1");
  await shop.settle();
});
afterEach(() => shop.close());

const assignToAnna = (headers: Record<string, string> = {}) =>
  shop.post("/deliveries/o-1/assign", { courierId: "anna" }, headers);

describe("read-your-writes on the delivery service", () => {
  it("answers a dispatcher's assignment with where it landed, and the board read at it shows the courier carrying it", async () => {
    const assigned = await assignToAnna();
    expect(assigned.status).toBe(200);
    const body = (await assigned.json()) as { position?: string };
    const event = shop.store.all().find((e) => e.type === "CourierAssigned");
    expect(body.position).toBe(String(event?.position));
    expect(appendedAt(assigned)).toBe(body.position);

    const read = await shop.get("/deliveries", { "mebel-min-position": String(body.position) });
    expect(read.status).toBe(200);
    const board = (await read.json()) as Board;
    expect(board.awaitingCourier).toEqual([]);
    expect(board.byCourier.anna?.map((d) => d.orderId)).toEqual(["o-1"]);
  });

  it("gives the position of the first answer again to a replay by Idempotency-Key, writing nothing", async () => {
    const key = { "idempotency-key": "assign-1" };
    const assigned = await assignToAnna(key);
    const before = shop.eventCount();
    const replayed = await assignToAnna(key);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(appendedAt(replayed)).toBe(appendedAt(assigned));
    expect(await json(replayed)).toMatchObject({ position: appendedAt(assigned) });
    expect(shop.eventCount()).toBe(before);
  });

  it("says no position for an assignment to the courier it already has: nothing was appended", async () => {
    await assignToAnna();
    const again = await assignToAnna();
    expect(again.status).toBe(200);
    expect(again.headers.get("mebel-position")).toBeNull();
    const unchanged = await json(again);
    expect(unchanged).toMatchObject({ status: "assigned", courierId: "anna" });
    expect(unchanged).not.toHaveProperty("position");
  });
});
