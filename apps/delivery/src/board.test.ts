import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { couriers, type Fixture, startFixture } from "./test-fixture.js";

interface Board {
  readonly awaitingCourier: ReadonlyArray<{ readonly orderId: string }>;
  readonly byCourier: Record<string, ReadonlyArray<{ readonly orderId: string }>>;
  readonly lag: string;
}
const orderIds = (entries: ReadonlyArray<{ readonly orderId: string }>) =>
  entries.map((e) => e.orderId);

let shop: Fixture;
beforeEach(async () => {
  shop = await startFixture({
    couriers: couriers(
      '[{"id":"anna","name":"Anna","capacity":1},{"id":"boris","name":"Boris","capacity":1}]',
    ),
  });
  for (const id of ["o-1", "o-2", "o-3", "o-4"]) await shop.assembledOrder(id);
  await shop.settle();
});
afterEach(() => shop.close());

const board = async (): Promise<Board> => (await (await shop.get("/deliveries")).json()) as Board;

describe("couriers and the delivery board", () => {
  it("lists couriers with the deliveries they carry", async () => {
    const res = await shop.get("/couriers");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { id: "anna", name: "Anna", capacity: 1, active: 1 },
      { id: "boris", name: "Boris", capacity: 1, active: 1 },
    ]);
  });

  it("keeps what nobody can take awaiting a courier, oldest first, and says how far behind it is", async () => {
    const b = await board();
    expect(orderIds(b.awaitingCourier)).toEqual(["o-3", "o-4"]);
    expect(orderIds(b.byCourier.anna ?? [])).toEqual(["o-1"]);
    expect(orderIds(b.byCourier.boris ?? [])).toEqual(["o-2"]);
    expect(b.lag).toBe("0");
    expect(b.awaitingCourier[0]).toMatchObject({
      status: "awaiting_courier",
      courierId: null,
      requestedAt: expect.any(String),
    });
    expect(b.awaitingCourier[0]).not.toHaveProperty("revisions");
  });

  it("pages what waits for a courier, the next page by the cursor the last one gave", async () => {
    const first = (await (await shop.get("/deliveries?limit=1")).json()) as Board & {
      next: string;
    };
    expect(orderIds(first.awaitingCourier)).toEqual(["o-3"]);
    expect(orderIds(first.byCourier.anna ?? [])).toEqual(["o-1"]);
    const second = (await (
      await shop.get(`/deliveries?limit=1&cursor=${first.next}`)
    ).json()) as Board & { next: string | null };
    expect(orderIds(second.awaitingCourier)).toEqual(["o-4"]);
    expect(second.next).toBeNull();
    expect((await shop.get("/deliveries?cursor=bad!")).status).toBe(400);
  });

  it("gives the oldest waiting delivery to a courier who frees up", async () => {
    await shop.pickUp("o-1", "anna");
    expect((await shop.post("/deliveries/o-1/complete")).status).toBe(200);
    await shop.settle();

    const b = await board();
    expect(orderIds(b.awaitingCourier)).toEqual(["o-4"]);
    expect(orderIds(b.byCourier.anna ?? [])).toEqual(["o-3"]);
  });

  it("shows the lag while the board has events still to apply", async () => {
    await shop.running.stop();
    await shop.assembledOrder("o-5");
    const b = await board();
    // Order streams are not the board's, but its checkpoint is behind the head all the same.
    expect(Number(b.lag)).toBeGreaterThan(0);
  });
});
