import { createMetrics } from "@mebel/adapter-http";
import { sampleOf } from "@mebel/adapter-http/testing";
import {
  createMemoryEventStore,
  createMemoryReadModelStore,
  manualClock,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import {
  type Clock,
  type CommandBus,
  type CustomerId,
  commandBus,
  createCommandHandler,
  type LineId,
  loadAggregate,
  type OrderId,
  type Quantity,
  reservationLedgerProjection,
  startProjection,
  stockItemAggregate,
  stockItemStream,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { startWarehouseSweeper } from "./sweeper.js";
import { sofa } from "./test-world.js";

const ctx = { correlationId: "test", causationId: "test" };

/** A reservation whose line never came: the adding process died between its two writes. */
const orphanWorld = async (clock: Clock) => {
  const store = createMemoryEventStore();
  const readModels = createMemoryReadModelStore();
  const bus: CommandBus = commandBus(createCommandHandler({ store, clock, ids: uuids }));
  const ledger = startProjection(reservationLedgerProjection, { store, readModels, clock });
  await bus.stockItem({ type: "ReceiveStock", sku: sofa.sku, quantity: 5 as Quantity }, ctx)();
  await bus.order(
    { type: "CreateOrder", orderId: "o-1" as OrderId, customerId: "c" as CustomerId },
    ctx,
  )();
  await bus.stockItem(
    {
      type: "ReserveStock",
      sku: sofa.sku,
      orderId: "o-1" as OrderId,
      lineId: "l-1" as LineId,
      quantity: 2 as Quantity,
    },
    ctx,
  )();
  const head = await store.head();
  if (head !== undefined) await ledger.waitUntil(head);
  const reserved = async () => {
    const loaded = await loadAggregate(store, stockItemAggregate, stockItemStream(sofa.sku));
    if (E.isLeft(loaded)) throw new Error(loaded.left.message);
    return loaded.right.state.reserved;
  };
  return { store, readModels, bus, ledger, reserved };
};

describe("the warehouse sweeper", () => {
  it("leaves a young reservation alone and settles it once the grace has passed", async () => {
    const clock = manualClock();
    const w = await orphanWorld(clock);
    const sweeper = startWarehouseSweeper({
      readModels: w.readModels,
      bus: w.bus,
      clock,
      intervalMs: 60_000,
      orphanGraceMs: 30_000,
    });
    try {
      expect((await sweeper.runOnce()).released).toEqual([]);
      expect(await w.reserved()).toBe(2);
      clock.advance(30_001);
      const report = await sweeper.runOnce();
      expect(report.released).toEqual([{ sku: sofa.sku, orderId: "o-1", lineId: "l-1" }]);
      expect(await w.reserved()).toBe(0);
      // The line is fenced first, so a late write of it is refused.
      expect(w.store.all().map((e) => e.type)).toContain("OrderLineAbandoned");
    } finally {
      await sweeper.stop();
      await w.ledger.stop();
    }
  });

  it("counts its runs and the reservations it released on /metrics", async () => {
    const clock = manualClock();
    const w = await orphanWorld(clock);
    const metrics = createMetrics({ defaults: false });
    const sweeper = startWarehouseSweeper({
      readModels: w.readModels,
      bus: w.bus,
      clock,
      intervalMs: 60_000,
      orphanGraceMs: 30_000,
      observer: metrics.observer,
    });
    const sweep = { sweep: "sweep.orphans" };
    try {
      await sweeper.runOnce();
      expect(await sampleOf(metrics.registry, "mebel_sweep_repaired_total", sweep)).toBe(0);
      clock.advance(30_001);
      await sweeper.runOnce();
      await sweeper.runOnce();
      expect(await sampleOf(metrics.registry, "mebel_sweep_repaired_total", sweep)).toBe(1);
      expect(
        await sampleOf(metrics.registry, "mebel_sweep_runs_total", { ...sweep, outcome: "ok" }),
      ).toBe(3);
    } finally {
      await sweeper.stop();
      await w.ledger.stop();
    }
  });

  it("sweeps on its own every interval until stopped", async () => {
    const w = await orphanWorld(systemClock);
    let sweeps = 0;
    const sweeper = startWarehouseSweeper({
      // Each sweep lists the ledger once: counting lists counts sweeps.
      readModels: {
        ...w.readModels,
        list: (name) => {
          sweeps += 1;
          return w.readModels.list(name);
        },
      },
      bus: w.bus,
      clock: systemClock,
      intervalMs: 5,
      orphanGraceMs: 0,
    });
    try {
      await expect.poll(() => w.reserved(), { timeout: 5_000, interval: 5 }).toBe(0);
    } finally {
      await sweeper.stop();
      await w.ledger.stop();
    }
    const swept = sweeps;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sweeps).toBe(swept);
  });
});
