import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  backOfficeProjections,
  decodeBatch,
  loadAggregate,
  type OrderState,
  orderAggregate,
  readViews,
  replay,
  type StockItemState,
  stockItemAggregate,
} from "@mebel/core";
import { openInfrastructure, readSettings } from "@mebel/runtime";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everything, fold } from "./fault-workload.js";
import { type AllInOne, call, eventually, signIn, startAllInOne } from "./test-process.js";
import { initialiseCluster } from "./test-support/data-dir.js";

const settled = (app: AllInOne) =>
  eventually(
    () => call("GET", `${app.warehouse}/health`),
    (r) => r.status === 200 && r.body.subscribers.every((s: { lag: string }) => s.lag === "0"),
    "projections caught up",
    30_000,
  );

describe("kill -9 mid-journey, then start again", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mebel-crash-"));
  const env = { MEBEL_SWEEP_INTERVAL_MS: "200", MEBEL_ORPHAN_GRACE_MS: "500" };
  beforeAll(() => initialiseCluster(dataDir));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("loses nothing acknowledged, leaks no reservation, and every view equals a replay", async () => {
    const first = await startAllInOne(dataDir, env);
    const admin = await signIn(first.site, "admin@example.com");
    const acknowledged: Array<{ orderId: string; lineId: string }> = [];
    const created: string[] = [];
    const buyer = async (i: number) => {
      const order = await call(
        "POST",
        `${first.warehouse}/orders`,
        { customerId: `c-${i}` },
        admin,
      );
      if (order.status !== 201) return;
      created.push(order.body.orderId);
      for (const sku of ["LAMP-ARC", "CHAIR-EAMES", "LAMP-ARC"]) {
        const added = await call(
          "POST",
          `${first.warehouse}/orders/${order.body.orderId}/items`,
          { sku, quantity: 1 },
          admin,
        );
        if (added.status === 201)
          acknowledged.push({ orderId: order.body.orderId, lineId: added.body.lineId });
      }
      if (i % 3 === 0) {
        await call(
          "POST",
          `${first.warehouse}/orders/${order.body.orderId}/cancel`,
          { reason: "no" },
          admin,
        );
      }
    };
    const burst = Promise.allSettled(Array.from({ length: 24 }, (_, i) => buyer(i)));
    await eventually(
      async () => acknowledged.length,
      (n) => n >= 8,
      "some acknowledged writes",
    );
    await first.kill("SIGKILL");
    await burst;
    expect(acknowledged.length).toBeGreaterThan(0);

    const second = await startAllInOne(dataDir, env);
    // Until the orphan grace has passed and a sweep has released what the kill left without a
    // line: each SKU's reserved units are then those of live order lines, as the stream says.
    const liveUnits = async (): Promise<Record<string, number>> => {
      const units: Record<string, number> = { "LAMP-ARC": 0, "CHAIR-EAMES": 0 };
      for (const orderId of created) {
        const order = await call("GET", `${second.warehouse}/orders/${orderId}`, undefined, admin);
        if (order.status !== 200 || order.body.status === "cancelled") continue;
        for (const line of order.body.lines as Array<{ sku: string; quantity: number }>) {
          units[line.sku] = (units[line.sku] ?? 0) + line.quantity;
        }
      }
      return units;
    };
    await eventually(
      async () => {
        const live = await liveUnits();
        const reserved: Record<string, number> = {};
        for (const sku of Object.keys(live)) {
          reserved[sku] = (await call("GET", `${second.warehouse}/stock/${sku}`)).body.reserved;
        }
        return { live, reserved };
      },
      ({ live, reserved }) => JSON.stringify(live) === JSON.stringify(reserved),
      "the orphan sweep releasing what no line holds",
      60_000,
    );
    await settled(second);
    // The key pair is kept in the data folder: a token from before the crash is still good.
    for (const { orderId, lineId } of acknowledged) {
      const order = await call("GET", `${second.warehouse}/orders/${orderId}`, undefined, admin);
      expect(order.body.lines.map((l: { lineId: string }) => l.lineId)).toContain(lineId);
    }
    await second.kill("SIGTERM");

    const settings = readSettings({ MEBEL_DATA_DIR: dataDir });
    if (E.isLeft(settings)) throw new Error("settings");
    const infra = await openInfrastructure(settings.right);
    try {
      const events = await everything(infra.store);
      const streams = new Set(events.map((e) => e.streamName));
      const live = new Set<string>();
      for (const stream of streams) {
        if (!stream.startsWith("Order-")) continue;
        const order: OrderState = await fold(loadAggregate(infra.store, orderAggregate, stream));
        if (order.status !== "none" && order.status !== "cancelled") {
          for (const lineId of Object.keys(order.lines)) live.add(lineId);
        }
      }
      const reserved = new Set<string>();
      for (const stream of streams) {
        if (!stream.startsWith("StockItem-")) continue;
        const stock: StockItemState = await fold(
          loadAggregate(infra.store, stockItemAggregate, stream),
        );
        expect(stock.reserved).toBeLessThanOrEqual(stock.onHand);
        for (const { lineId } of stock.reservations) reserved.add(lineId);
      }
      // Every reservation belongs to a live order line, and every live line holds its reservation.
      expect([...reserved].sort()).toEqual([...live].sort());

      const decoded = decodeBatch(events);
      for (const projection of backOfficeProjections) {
        const view = await readViews(projection, infra.readModels).all();
        expect(view, projection.name).toEqual(replay(projection, decoded));
      }
    } finally {
      await infra.close();
    }
  }, 120_000);

  it("refuses a second copy while the first runs, with a clear message", async () => {
    const dir = await initialiseCluster(mkdtempSync(join(tmpdir(), "mebel-twice-")));
    const running = await startAllInOne(dir);
    try {
      await expect(startAllInOne(dir)).rejects.toThrow(/in use by process/);
    } finally {
      await running.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
