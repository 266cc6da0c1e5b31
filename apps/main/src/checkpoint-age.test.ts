import { createMetrics, type HealthSources, subscriberHealth } from "@mebel/adapter-http";
import { sampleOf } from "@mebel/adapter-http/testing";
import {
  createMemoryEventStore,
  createMemoryLocks,
  createMemoryReadModelStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import {
  availabilityProjection,
  commandBus,
  createCommandHandler,
  type Quantity,
  type RunningSubscriber,
  readModelName,
  type Sku,
  startProjection,
} from "@mebel/core";
import { describe, expect, it } from "vitest";

const AVAILABILITY = readModelName(availabilityProjection);
const HOUR = 3_600_000;

describe("a subscriber's checkpoint age", () => {
  it("counts from when the store last moved the checkpoint, for a restarted instance and a standby alike", async () => {
    // Given the availability projection stored its checkpoint an hour ago, by the store's clock
    let storeTime = Date.parse("2026-03-01T10:00:00.000Z");
    const readModels = createMemoryReadModelStore(() => new Date(storeTime));
    const store = createMemoryEventStore();
    const bus = commandBus(createCommandHandler({ store, clock: systemClock, ids: uuids }));
    const context = { correlationId: "age", causationId: "age" };
    const receive = async (quantity: number) =>
      expect(
        (
          await bus.stockItem(
            { type: "ReceiveStock", sku: "SOFA-OSLO-3" as Sku, quantity: quantity as Quantity },
            context,
          )()
        )._tag,
      ).toBe("Right");
    const locks = createMemoryLocks();
    const run = (instanceLocks = locks): RunningSubscriber =>
      startProjection(availabilityProjection, {
        store,
        clock: systemClock,
        readModels,
        locks: instanceLocks,
      });
    await receive(4);
    const before = run();
    await before.waitUntil((await store.head()) ?? 0n);
    await before.stop();
    storeTime += HOUR;

    // When a freshly started instance and a second one (standby behind it) are scraped
    const restarted = run();
    await restarted.waitUntil((await store.head()) ?? 0n);
    const standby = run(locks.instance());
    await expect.poll(() => standby.status().state).toBe("standby");
    const scrape = async (subscriber: RunningSubscriber) => {
      const sources: HealthSources = {
        subscribers: () => [subscriber.status()],
        head: store.head,
        checkpointAges: readModels.checkpointAges,
      };
      const metrics = createMetrics({ defaults: false });
      metrics.watch(sources);
      return {
        gauge: await sampleOf(metrics.registry, "mebel_subscriber_checkpoint_age_seconds", {
          subscriber: AVAILABILITY,
        }),
        health: (await subscriberHealth(sources))[0],
      };
    };

    try {
      // Then both tell the hour the checkpoint has not moved, not the seconds they have been up
      for (const subscriber of [restarted, standby]) {
        const { gauge, health } = await scrape(subscriber);
        expect(gauge).toBe(3600);
        expect(health).toMatchObject({
          checkpointMovedAt: "2026-03-01T10:00:00.000Z",
          checkpointAgeSeconds: 3600,
        });
      }

      // And once the checkpoint moves again, its age starts again from that write
      storeTime += 60_000;
      await receive(1);
      await restarted.waitUntil((await store.head()) ?? 0n);
      storeTime += 5_000;
      expect((await scrape(standby)).gauge).toBe(5);
    } finally {
      await standby.stop();
      await restarted.stop();
    }
  });
});
