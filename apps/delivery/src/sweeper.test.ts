import { createMetrics } from "@mebel/adapter-http";
import { sampleOf } from "@mebel/adapter-http/testing";
import { createMemoryReadModelStore } from "@mebel/adapter-memory";
import { orderViewProjection, readModelName } from "@mebel/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startDeliverySweeper, sweepOnce } from "./sweeper.js";
import { couriers, type Fixture, json, startFixture } from "./test-fixture.js";

const graceMs = 60_000;

let shop: Fixture;
beforeEach(async () => {
  // R3's "lost order ready": nothing turns OrderAssembled into a delivery request.
  shop = await startFixture({
    couriers: couriers('[{"id":"anna","name":"Anna","capacity":3}]'),
    without: ["delivery-on-assembled"],
  });
});
afterEach(() => shop.close());

const sweep = () => sweepOnce({ ...shop, graceMs });

describe("R3: the reconciliation sweep", () => {
  it("requests exactly one delivery for an order assembled longer than the grace ago", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();
    expect(shop.eventCount("DeliveryRequested")).toBe(0);

    expect((await sweep()).requested).toEqual([]);
    shop.clock.advance(graceMs);
    // Two sweeps at once (two instances, say) both see the order as forgotten: one requests.
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect([...a.requested, ...b.requested]).toEqual(["o-1"]);
    expect([...a.alreadyRequested, ...b.alreadyRequested]).toEqual(["o-1"]);

    await shop.settle();
    expect(await sweep()).toEqual({
      requested: [],
      alreadyRequested: [],
      skipped: [],
      rerequested: [],
      withdrawn: [],
      failed: [],
    });
    expect(shop.eventCount("DeliveryRequested")).toBe(1);
    // From there the service carries on as if the trigger had never been lost.
    expect(await json(await shop.get("/deliveries/o-1"))).toMatchObject({
      status: "assigned",
      courierId: "anna",
    });
  });

  it("marks the requests as the sweep's own, not a person's or the warehouse's", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();
    shop.clock.advance(graceMs);
    await sweep();
    const requested = shop.store.all().find((e) => e.type === "DeliveryRequested");
    expect(requested?.metadata).toMatchObject({
      actor: "delivery-sweeper",
      correlationId: expect.stringMatching(/^delivery-sweep:/),
    });
  });

  it("does not request a delivery for an order cancelled after the view last saw it", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();
    await shop.running.stop();
    await shop.cancel("o-1");
    shop.clock.advance(graceMs);

    expect(await sweep()).toMatchObject({ requested: [], skipped: ["o-1"] });
    expect(shop.eventCount("DeliveryRequested")).toBe(0);
  });

  it("sweeps periodically until stopped, requesting once however often it runs", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();
    shop.clock.advance(graceMs);

    const sweeper = startDeliverySweeper({ ...shop, graceMs, intervalMs: 5 });
    await vi.waitFor(() => expect(shop.eventCount("DeliveryRequested")).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await sweeper.stop();
    expect(shop.eventCount("DeliveryRequested")).toBe(1);

    await shop.assembledOrder("o-2");
    shop.clock.advance(graceMs);
    await shop.settle();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(shop.eventCount("DeliveryRequested")).toBe(1);
  });

  it("counts the deliveries it requested, and a sweep that threw, on /metrics", async () => {
    await shop.assembledOrder("o-1");
    await shop.settle();
    shop.clock.advance(graceMs);
    const metrics = createMetrics({ defaults: false });
    const sweeper = startDeliverySweeper({
      ...shop,
      graceMs,
      intervalMs: 5,
      observer: metrics.observer,
    });
    const sweep = { sweep: "sweep.deliveries" };
    await vi.waitFor(async () =>
      expect(
        await sampleOf(metrics.registry, "mebel_sweep_runs_total", { ...sweep, outcome: "ok" }),
      ).toBeGreaterThan(1),
    );
    await sweeper.stop();
    expect(await sampleOf(metrics.registry, "mebel_sweep_repaired_total", sweep)).toBe(1);

    const broken = startDeliverySweeper({
      ...shop,
      readModels: { ...shop.readModels, list: () => Promise.reject(new Error("disk on fire")) },
      graceMs,
      intervalMs: 5,
      observer: metrics.observer,
    });
    await vi.waitFor(async () =>
      expect(
        await sampleOf(metrics.registry, "mebel_sweep_runs_total", { ...sweep, outcome: "threw" }),
      ).toBeGreaterThan(0),
    );
    await broken.stop();
  });

  it("keeps sweeping after a sweep that throws, and logs it", async () => {
    const errors: string[] = [];
    const logger = {
      info: () => {},
      warn: () => {},
      error: (_fields: unknown, message: string) => errors.push(message),
    };
    // An order view that does not decode makes every sweep throw.
    const readModels = createMemoryReadModelStore();
    await readModels.commit(
      readModelName(orderViewProjection),
      new Map([["broken", { nope: true }]]),
      1n,
    );
    const sweeper = startDeliverySweeper({ ...shop, readModels, graceMs, intervalMs: 5, logger });
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(1));
    await sweeper.stop();
    expect(errors[0]).toBe("delivery sweep failed");
  });
});
