import { appendedAt } from "@mebel/adapter-http/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sweepOnce } from "./sweeper.js";
import { couriers, expectProblem, type Fixture, json, startFixture } from "./test-fixture.js";

let shop: Fixture;
let anna: Record<string, string>;
let boris: Record<string, string>;
let dispatcher: Record<string, string>;
beforeEach(async () => {
  shop = await startFixture({
    couriers: couriers(
      '[{"id":"anna","name":"Anna","capacity":2},{"id":"boris","name":"Boris","capacity":2}]',
    ),
  });
  anna = await shop.issuer.bearer("anna-account", ["courier"], "anna");
  boris = await shop.issuer.bearer("boris-account", ["courier"], "boris");
  dispatcher = await shop.issuer.bearer("dispatch-account", ["dispatcher"]);
});
afterEach(() => shop.close());

/** An assembled order whose delivery the assignment manager gave to Anna (the least loaded). */
const assignedToAnna = async (id: string) => {
  await shop.assembledOrder(id);
  await shop.settle();
  expect(await json(await shop.get(`/deliveries/${id}`))).toMatchObject({ courierId: "anna" });
};

const listOf = async (courier: string, as: Record<string, string>) =>
  (
    (await (await shop.get(`/couriers/${courier}/deliveries`, as)).json()) as {
      deliveries: ReadonlyArray<{ orderId: string; status: string }>;
    }
  ).deliveries;

describe("a courier's deliveries", () => {
  it("lists only the courier's own, and refuses another courier's list", async () => {
    await assignedToAnna("o-1");
    expect(await listOf("anna", anna)).toMatchObject([{ orderId: "o-1", status: "assigned" }]);
    expect(await listOf("boris", boris)).toEqual([]);
    await expectProblem(await shop.get("/couriers/anna/deliveries", boris), 403, "FORBIDDEN");
    // A dispatcher reads anyone's.
    expect(await listOf("anna", dispatcher)).toHaveLength(1);
  });

  it("picked up by its courier hands the order over, then delivered", async () => {
    await assignedToAnna("o-1");
    const picked = await shop.post("/deliveries/o-1/pick-up", undefined, anna);
    expect(await json(picked)).toMatchObject({
      orderId: "o-1",
      status: "picked_up",
      courierId: "anna",
      position: appendedAt(picked),
    });
    expect(shop.eventCount("OrderHandedToCourier")).toBe(1);
    await shop.settle();
    // The handover's own pick-up, coming back through its manager, is a no-op.
    expect(shop.eventCount("DeliveryPickedUp")).toBe(1);
    const done = await shop.post("/deliveries/o-1/complete", undefined, anna);
    expect(await json(done)).toMatchObject({ status: "completed" });
  });

  it("refuses a courier's steps on a delivery that is not theirs, as not found", async () => {
    await assignedToAnna("o-1");
    await expectProblem(
      await shop.post("/deliveries/o-1/pick-up", undefined, boris),
      404,
      "DELIVERY_NOT_FOUND",
    );
    await expectProblem(
      await shop.post("/deliveries/o-1/fail", { reason: "x" }, boris),
      404,
      "DELIVERY_NOT_FOUND",
    );
    expect(shop.eventCount("DeliveryPickedUp")).toBe(0);
  });

  it("takes a pick-up by staff only when they say which courier took the goods", async () => {
    await assignedToAnna("o-1");
    await expectProblem(await shop.post("/deliveries/o-1/pick-up"), 400, "COURIER_REQUIRED");
    const picked = await shop.post("/deliveries/o-1/pick-up", { courierId: "boris" });
    expect(await json(picked)).toMatchObject({ status: "picked_up", courierId: "boris" });
  });
});

describe("a delivery's window", () => {
  // The fixture's clock starts on Thursday 1 January 2026, 12:00 in Moscow.
  const fridayMorning = { from: "2026-01-02T07:00:00.000Z", to: "2026-01-02T11:00:00.000Z" };
  const saturdayAfternoon = { from: "2026-01-03T11:00:00.000Z", to: "2026-01-03T15:00:00.000Z" };
  const assignedEvents = () =>
    shop.store
      .all()
      .filter((e) => e.type === "CourierAssigned")
      .map((e) => e.data);

  it("given an assembled order, the courier is assigned with the next working day's first slot", async () => {
    await assignedToAnna("o-1");
    expect(await json(await shop.get("/deliveries/o-1"))).toMatchObject({ window: fridayMorning });
    expect(await listOf("anna", anna)).toMatchObject([{ orderId: "o-1", window: fridayMorning }]);
  });

  it("when a dispatcher re-assigns with a window, the delivery is in that window, stored as such", async () => {
    await assignedToAnna("o-1");
    const res = await shop.post(
      "/deliveries/o-1/reassign",
      { courierId: "boris", window: saturdayAfternoon },
      dispatcher,
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ courierId: "boris", window: saturdayAfternoon });
    expect(assignedEvents().at(-1)).toEqual({
      orderId: "o-1",
      courierId: "boris",
      window: saturdayAfternoon,
    });
  });

  it("when a dispatcher moves only the slot, the same courier keeps it in the new window", async () => {
    await assignedToAnna("o-1");
    const res = await shop.post(
      "/deliveries/o-1/reassign",
      { courierId: "anna", window: saturdayAfternoon },
      dispatcher,
    );
    expect(await json(res)).toMatchObject({ courierId: "anna", window: saturdayAfternoon });
    // Re-assigning to the same courier without a window changes nothing.
    await shop.post("/deliveries/o-1/reassign", { courierId: "anna" }, dispatcher);
    expect(assignedEvents()).toHaveLength(2);
  });

  it("when a dispatcher re-assigns without a window, the new courier's first slot with room is given", async () => {
    await assignedToAnna("o-1");
    const res = await shop.post("/deliveries/o-1/reassign", { courierId: "boris" }, dispatcher);
    expect(await json(res)).toMatchObject({ courierId: "boris", window: fridayMorning });
  });

  it.each([
    ["ends before it starts", { from: fridayMorning.to, to: fridayMorning.from }],
    ["has begun already", { from: "2026-01-01T08:00:00.000Z", to: "2026-01-01T12:00:00.000Z" }],
  ])(
    "refuses a window that %s with 422 DELIVERY_WINDOW_INVALID and writes nothing",
    async (_, window) => {
      await assignedToAnna("o-1");
      const before = shop.eventCount();
      await expectProblem(
        await shop.post("/deliveries/o-1/reassign", { courierId: "boris", window }, dispatcher),
        422,
        "DELIVERY_WINDOW_INVALID",
      );
      expect(shop.eventCount()).toBe(before);
    },
  );

  it("refuses a window that is no instant at all with 400, naming the field", async () => {
    await assignedToAnna("o-1");
    const res = await shop.post(
      "/deliveries/o-1/reassign",
      { courierId: "boris", window: { from: "tomorrow", to: fridayMorning.to } },
      dispatcher,
    );
    const problem = await expectProblem(res, 400, "INVALID_REQUEST");
    expect(problem.errors?.map((e) => e.path)).toEqual(["body.window.from"]);
  });
});

describe("re-assigning", () => {
  it("gives an assigned delivery to another courier; the first no longer sees it", async () => {
    await assignedToAnna("o-1");
    const res = await shop.post("/deliveries/o-1/reassign", { courierId: "boris" }, dispatcher);
    expect(await json(res)).toMatchObject({
      orderId: "o-1",
      status: "assigned",
      courierId: "boris",
      position: appendedAt(res),
    });
    await shop.settle();
    expect(await listOf("anna", anna)).toEqual([]);
    expect(await listOf("boris", boris)).toMatchObject([{ orderId: "o-1" }]);
    await expectProblem(
      await shop.post("/deliveries/o-1/pick-up", undefined, anna),
      404,
      "DELIVERY_NOT_FOUND",
    );
    expect(await json(await shop.post("/deliveries/o-1/pick-up", undefined, boris))).toMatchObject({
      status: "picked_up",
      courierId: "boris",
    });
  });

  it("is refused once the goods are with the courier", async () => {
    await assignedToAnna("o-1");
    await shop.post("/deliveries/o-1/pick-up", undefined, anna);
    await expectProblem(
      await shop.post("/deliveries/o-1/reassign", { courierId: "boris" }, dispatcher),
      409,
      "DELIVERY_ALREADY_PICKED_UP",
    );
  });

  it("is within the new courier's capacity", async () => {
    for (const id of ["o-1", "o-2", "o-3"]) await shop.assembledOrder(id);
    await shop.settle();
    // Anna has o-1 and o-3, Boris o-2: Boris can take one more, Anna none.
    await shop.post("/deliveries/o-1/reassign", { courierId: "boris" }, dispatcher);
    await shop.settle();
    await expectProblem(
      await shop.post("/deliveries/o-3/reassign", { courierId: "boris" }, dispatcher),
      409,
      "COURIER_AT_CAPACITY",
    );
  });
});

describe("re-requesting", () => {
  it("asks again for a delivery cancelled by hand, once however often asked", async () => {
    await assignedToAnna("o-1");
    await shop.post("/deliveries/o-1/cancel", { reason: "customer away this week" }, dispatcher);
    const [a, b] = await Promise.all([
      shop.post("/deliveries/o-1/rerequest", undefined, dispatcher),
      shop.post("/deliveries/o-1/rerequest", undefined, dispatcher),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(shop.eventCount("DeliveryRerequested")).toBe(1);
    await shop.settle();
    expect(await json(await shop.get("/deliveries/o-1"))).toMatchObject({ status: "assigned" });
  });

  it("is refused for a cancelled order, and writes nothing", async () => {
    await assignedToAnna("o-1");
    await shop.cancel("o-1");
    await shop.settle();
    await expectProblem(
      await shop.post("/deliveries/o-1/rerequest", undefined, dispatcher),
      409,
      "ORDER_NOT_DELIVERABLE",
    );
    expect(shop.eventCount("DeliveryRerequested")).toBe(0);
  });

  it("lets a failed delivery after the handover be picked up again, by the next courier", async () => {
    await assignedToAnna("o-1");
    await shop.post("/deliveries/o-1/pick-up", undefined, anna);
    await shop.post("/deliveries/o-1/fail", { reason: "nobody home" }, anna);
    await shop.settle();
    await shop.post("/deliveries/o-1/rerequest", undefined, dispatcher);
    await shop.settle();
    const again = (await json(await shop.get("/deliveries/o-1"))) as { courierId: string };
    const courier = again.courierId === "anna" ? anna : boris;
    const picked = await shop.post("/deliveries/o-1/pick-up", undefined, courier);
    expect(await json(picked)).toMatchObject({ status: "picked_up" });
    // The order left the warehouse once: no second handover, no second dispatch.
    expect(shop.eventCount("OrderHandedToCourier")).toBe(1);
  });
});

const graceMs = 60_000;
describe("the sweep re-requests", () => {
  const sweep = () => sweepOnce({ ...shop, graceMs });

  it("a failed delivery once the grace has passed, up to three attempts in all", async () => {
    await assignedToAnna("o-1");
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await shop.post("/deliveries/o-1/pick-up", undefined, anna);
      await shop.post("/deliveries/o-1/fail", { reason: "nobody home" }, anna);
      await shop.settle();
      expect((await sweep()).rerequested).toEqual([]);
      shop.clock.advance(graceMs + 1);
      expect((await sweep()).rerequested).toEqual(attempt < 3 ? ["o-1"] : []);
      await shop.settle();
      // Whoever the manager chose, Anna takes it for the next try.
      await shop.post("/deliveries/o-1/reassign", { courierId: "anna" }, dispatcher);
    }
    expect(shop.eventCount("DeliveryRerequested")).toBe(2);
  });

  it("a delivery cancelled by hand, once the grace has passed", async () => {
    await assignedToAnna("o-1");
    await shop.post("/deliveries/o-1/cancel", { reason: "customer away" }, dispatcher);
    await shop.settle();
    expect((await sweep()).rerequested).toEqual([]);
    shop.clock.advance(graceMs + 1);
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect([...a.rerequested, ...b.rerequested]).toEqual(["o-1"]);
    await shop.settle();
    expect(await json(await shop.get("/deliveries/o-1"))).toMatchObject({ status: "assigned" });
  });

  it("never a cancelled order's delivery", async () => {
    await assignedToAnna("o-1");
    await shop.cancel("o-1");
    await shop.settle();
    shop.clock.advance(graceMs + 1);
    expect(await sweep()).toMatchObject({ rerequested: [], withdrawn: [], failed: [] });
  });
});
