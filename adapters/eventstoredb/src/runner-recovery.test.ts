import {
  createMemoryLocks,
  createMemoryReadModelStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import {
  availabilityProjection,
  commandBus,
  createCommandHandler,
  decodeBatch,
  type Quantity,
  readViews,
  replay,
  type Sku,
  startProjection,
} from "@mebel/core";
import { readAllAfter, waitUntil } from "@mebel/store-contract";
import { describe, expect, it } from "vitest";
import { createEventStoreDbEventStore } from "./event-store.js";
import { createFakeClient } from "./fake-client.js";

// The core's subscriber runner over this adapter: the adapter reports a dropped subscription as
// StoreUnavailableError and the runner, not the adapter, resubscribes from its checkpoint.

describe("a projection on EventStoreDB whose subscription drops", () => {
  it("retries through the runner after a leader change and converges to its replay", async () => {
    const fake = createFakeClient();
    const store = createEventStoreDbEventStore(fake.client, {
      subscriptionTiming: { idleMinMs: 50, idleMaxMs: 200 },
    });
    const readModels = createMemoryReadModelStore();
    const bus = commandBus(createCommandHandler({ store, clock: systemClock, ids: uuids }));
    const receive = (sku: string, quantity: number) =>
      bus.stockItem(
        { type: "ReceiveStock", sku: sku as Sku, quantity: quantity as Quantity },
        { correlationId: "c", causationId: "c" },
      )();
    const warnings: string[] = [];
    const logger = {
      warn: (_: unknown, message: string) => warnings.push(message),
      info: () => undefined,
      error: () => undefined,
      debug: () => undefined,
    };
    const running = startProjection(
      availabilityProjection,
      {
        store,
        readModels,
        clock: systemClock,
        locks: createMemoryLocks(),
        logger: logger as never,
      },
      { reconnect: { baseDelayMs: 1, maxDelayMs: 20 } },
    );
    for (let i = 0; i < 6; i += 1) await receive(`SKU-${i % 2}`, 1);
    await running.waitUntil((await store.head()) as bigint);

    // The leader steps down under the subscription, and the next one finds no leader yet.
    fake.failNextSubscribe("not-leader");
    fake.dropSubscriptions("not-leader");
    for (let i = 0; i < 6; i += 1) await receive(`SKU-${i % 2}`, 2);
    await running.waitUntil((await store.head()) as bigint);
    await waitUntil("the runner is back to running", () => running.status().state === "running");
    await running.stop();

    expect(warnings).toContain("subscriber cannot reach its store; retrying");
    const live = await readViews(availabilityProjection, readModels).all();
    const everything = await readAllAfter(store, undefined);
    expect(live).toEqual(replay(availabilityProjection, decodeBatch(everything)));
    expect([...live.values()].map((view) => view.onHand)).toEqual([9, 9]);
  });
});
