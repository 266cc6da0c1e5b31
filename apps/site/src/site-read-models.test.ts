import {
  createMemoryEventStore,
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
      ["order-view.v1", "running"],
      ["notifications.v1", "running"],
      ["availability.v1", "running"],
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
});
