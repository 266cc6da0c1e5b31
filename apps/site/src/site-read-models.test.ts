import {
  createMemoryEventStore,
  createMemoryLocks,
  createMemoryReadModelStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import { commandBus, createCommandHandler, Quantity, Sku, unsafeDecode } from "@mebel/core";
import { describe, expect, it } from "vitest";
import type { SiteChange } from "./change-feed.js";
import { startSiteReadModels } from "./site-read-models.js";

const context = { correlationId: "test", causationId: "test" };

describe("startSiteReadModels", () => {
  it("reports committed changes, and a listener that throws fails neither the views nor others", async () => {
    const store = createMemoryEventStore();
    const bus = commandBus(createCommandHandler({ store, clock: systemClock, ids: uuids }));
    const views = startSiteReadModels({
      store,
      readModels: createMemoryReadModelStore(),
      clock: systemClock,
    });
    const seen: SiteChange[] = [];
    views.changes.subscribe(() => {
      throw new Error("a broken client");
    });
    const unsubscribe = views.changes.subscribe((change) => seen.push(change));

    const sku = unsafeDecode(Sku)("LAMP-ARC");
    await bus.stockItem(
      { type: "ReceiveStock", sku, quantity: unsafeDecode(Quantity)(4) },
      context,
    )();
    await views.waitUntil((await store.head()) ?? 0n);
    expect(seen).toEqual([
      { kind: "availability", key: "LAMP-ARC", doc: expect.objectContaining({ available: 4 }) },
    ]);
    expect(views.status().map((s) => [s.name, s.state])).toEqual([
      ["order-view.v5", "running"],
      ["notifications.v5", "running"],
      ["availability.v2", "running"],
    ]);

    unsubscribe();
    await bus.stockItem(
      { type: "ReceiveStock", sku, quantity: unsafeDecode(Quantity)(1) },
      context,
    )();
    await views.waitUntil((await store.head()) ?? 0n);
    expect(seen).toHaveLength(1);
    await views.stop();
  });

  it("pushes from an instance on standby too: it follows the commits the active one makes", async () => {
    const store = createMemoryEventStore();
    const shared = {
      store,
      readModels: createMemoryReadModelStore(),
      clock: systemClock,
      locks: createMemoryLocks(),
    };
    const bus = commandBus(createCommandHandler({ store, clock: systemClock, ids: uuids }));
    const active = startSiteReadModels(shared);
    const sku = unsafeDecode(Sku)("SOFA-OSLO-3");
    await bus.stockItem(
      { type: "ReceiveStock", sku, quantity: unsafeDecode(Quantity)(2) },
      context,
    )();
    await active.waitUntil((await store.head()) ?? 0n);
    const standby = startSiteReadModels(shared);
    const ready = Date.now() + 5_000;
    while (!standby.status().every((s) => s.state === "standby") && Date.now() < ready) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(standby.status().every((s) => s.state === "standby")).toBe(true);

    const seen: SiteChange[] = [];
    standby.changes.subscribe((change) => seen.push(change));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await bus.stockItem(
      { type: "ReceiveStock", sku, quantity: unsafeDecode(Quantity)(3) },
      context,
    )();
    const until = Date.now() + 5_000;
    while (seen.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([
      { kind: "availability", key: "SOFA-OSLO-3", doc: expect.objectContaining({ available: 5 }) },
    ]);
    await standby.stop();
    await active.stop();
  });
});
