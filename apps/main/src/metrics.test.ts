import { createMetrics, createTelemetry } from "@mebel/adapter-http";
import { sampleOf } from "@mebel/adapter-http/testing";
import { createMemoryEventStore, systemClock, uuids } from "@mebel/adapter-memory";
import {
  availabilityProjection,
  commandBus,
  createCommandHandler,
  type Quantity,
  readModelName,
  type Sku,
  stockItemStream,
} from "@mebel/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startObservedWorld } from "./test-support/observed-world.js";

const AVAILABILITY = readModelName(availabilityProjection);
const METRICS_TOKEN = "scraper-token-0123456789abcdefghijklmnop";
const telemetry = createTelemetry();
const { registry } = telemetry.metrics;
let world: Awaited<ReturnType<typeof startObservedWorld>>;
let staff: Record<string, string>;
let olga: Record<string, string>;
let orderId: string;

const receive = (quantity: number, headers: Record<string, string> = {}) =>
  world.call(
    world.warehouse,
    "POST",
    "/stock/SOFA-OSLO-3/receive",
    { ...staff, ...headers },
    {
      quantity,
    },
  );

beforeAll(async () => {
  world = await startObservedWorld(telemetry, { metricsToken: METRICS_TOKEN });
  staff = await world.issuer.bearer("wh-1", ["warehouse"]);
  olga = await world.issuer.bearer("olga", ["customer"]);
  expect((await receive(5)).status).toBe(200);
  const created = await world.call(world.site, "POST", "/customers/olga/orders", olga);
  expect(created.status).toBe(201);
  orderId = JSON.parse(created.text).orderId;
  const added = await world.call(
    world.site,
    "POST",
    `/customers/olga/orders/${orderId}/items`,
    olga,
    { sku: "SOFA-OSLO-3", quantity: 1 },
  );
  expect(added.status).toBe(201);
  await world.settle();
});
afterAll(() => world?.close());

describe("/metrics", () => {
  it("answers admins and the scraper's token, and no one else", async () => {
    const admin = await world.issuer.bearer("root", ["admin"]);
    for (const service of [world.site, world.warehouse]) {
      expect((await world.call(service, "GET", "/metrics", {})).status).toBe(401);
      expect((await world.call(service, "GET", "/metrics", olga)).status).toBe(403);
      const wrong = { authorization: `Bearer ${METRICS_TOKEN.replace(/.$/, "q")}` };
      expect((await world.call(service, "GET", "/metrics", wrong)).status).toBe(401);
      const byAdmin = await world.call(service, "GET", "/metrics", admin);
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.headers.get("content-type")).toContain("text/plain");
      const byScraper = await world.call(service, "GET", "/metrics", {
        authorization: `Bearer ${METRICS_TOKEN}`,
      });
      expect(byScraper.status).toBe(200);
      expect(byScraper.text).toContain("mebel_http_request_duration_seconds_bucket{");
      expect(byScraper.text).toContain("process_cpu_seconds_total");
    }
  });
});

describe("the registry", () => {
  it("follows Prometheus conventions: base units, _total counters, no ids in labels", async () => {
    const metrics = await registry.getMetricsAsJSON();
    const ids = [orderId, "SOFA-OSLO-3", "olga", "wh-1"];
    const ours = metrics.filter((m) => m.name.startsWith("mebel_"));
    expect(ours.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        "mebel_http_request_duration_seconds",
        "mebel_events_appended_total",
        "mebel_append_duration_seconds",
        "mebel_append_conflicts_total",
        "mebel_command_retries_total",
        "mebel_idempotent_replays_total",
        "mebel_subscriber_lag_events",
        "mebel_subscriber_checkpoint_age_seconds",
        "mebel_subscriber_events_handled_total",
        "mebel_subscriber_failures_total",
        "mebel_subscriber_state",
        "mebel_sse_connections",
        "mebel_sweep_runs_total",
        "mebel_sweep_repaired_total",
      ]),
    );
    for (const metric of ours) {
      expect(metric.name).toMatch(/^mebel_[a-z][a-z0-9_]*[a-z]$/);
      expect(metric.help.length).toBeGreaterThan(10);
      // Counters say so; nothing else may.
      expect(metric.name.endsWith("_total")).toBe(String(metric.type) === "counter");
      // Durations and ages in seconds, never milliseconds.
      expect(metric.name).not.toMatch(/_(ms|millis|milliseconds|minutes)(_|$)/);
      if (/duration|age/.test(metric.name)) expect(metric.name).toMatch(/_seconds$/);
      if (String(metric.type) === "histogram") expect(metric.name).toMatch(/_seconds$/);
      for (const sample of metric.values) {
        for (const [label, value] of Object.entries(sample.labels)) {
          if (label === "le") continue;
          expect(label).toMatch(/^[a-z]+$/);
          expect(label).not.toMatch(/id$|sku|customer|order/);
          for (const id of ids) expect(String(value)).not.toContain(id);
        }
      }
    }
  });
});

describe("counters moving with real HTTP commands", () => {
  it("counts appended events by category and type, requests by route template, and replays", async () => {
    const appended = { category: "StockItem", type: "StockReceived" };
    const route = {
      service: "warehouse",
      method: "POST",
      route: "/stock/:sku/receive",
      status: "200",
    };
    const eventsBefore = await sampleOf(registry, "mebel_events_appended_total", appended);
    const requestsBefore = await sampleOf(
      registry,
      "mebel_http_request_duration_seconds_count",
      route,
    );
    const replaysBefore = await sampleOf(registry, "mebel_idempotent_replays_total");
    const key = { "idempotency-key": "receive-once-1" };
    expect((await receive(2, key)).status).toBe(200);
    expect((await receive(2, key)).headers.get("idempotent-replayed")).toBe("true");
    expect((await receive(1)).status).toBe(200);

    expect(await sampleOf(registry, "mebel_events_appended_total", appended)).toBe(
      eventsBefore + 2,
    );
    expect(await sampleOf(registry, "mebel_http_request_duration_seconds_count", route)).toBe(
      requestsBefore + 3,
    );
    expect(await sampleOf(registry, "mebel_idempotent_replays_total")).toBe(replaysBefore + 1);
    expect(
      await sampleOf(registry, "mebel_append_duration_seconds_count", {
        category: "StockItem",
        outcome: "ok",
      }),
    ).toBeGreaterThanOrEqual(eventsBefore + 2);
  });

  it("shows a projection's lag while it is stopped, and none once it has caught up", async () => {
    await world.settle();
    const handledBefore = await sampleOf(registry, "mebel_subscriber_events_handled_total", {
      subscriber: AVAILABILITY,
    });
    expect(
      await sampleOf(registry, "mebel_subscriber_lag_events", { subscriber: AVAILABILITY }),
    ).toBe(0);
    await world.stopSubscribers();
    expect((await receive(1)).status).toBe(200);
    expect((await receive(1)).status).toBe(200);
    expect(
      await sampleOf(registry, "mebel_subscriber_lag_events", { subscriber: AVAILABILITY }),
    ).toBe(2);
    expect(
      await sampleOf(registry, "mebel_subscriber_state", {
        subscriber: AVAILABILITY,
        state: "stopped",
      }),
    ).toBe(1);

    world.restartSubscribers();
    await world.settle();
    expect(
      await sampleOf(registry, "mebel_subscriber_lag_events", { subscriber: AVAILABILITY }),
    ).toBe(0);
    expect(
      await sampleOf(registry, "mebel_subscriber_events_handled_total", {
        subscriber: AVAILABILITY,
      }),
    ).toBe(handledBefore + 2);
  });
});

describe("live feeds", () => {
  it("counts the server-sent event streams open now", async () => {
    const site = { service: "site" };
    const before = await sampleOf(registry, "mebel_sse_connections", site);
    const controller = new AbortController();
    const feed = await fetch(`${world.site.url}/customers/olga/events`, {
      headers: olga,
      signal: controller.signal,
    });
    expect(feed.status).toBe(200);
    expect(await sampleOf(registry, "mebel_sse_connections", site)).toBe(before + 1);
    controller.abort();
    await expect
      .poll(() => sampleOf(registry, "mebel_sse_connections", site), { timeout: 5_000 })
      .toBe(before);
  });
});

describe("optimistic concurrency", () => {
  it("counts a lost race as a conflict and the command decided again as a retry", async () => {
    const metrics = createMetrics({ defaults: false });
    const store = createMemoryEventStore();
    const rival = commandBus(createCommandHandler({ store, clock: systemClock, ids: uuids }));
    const sku = "LAMP-ARC" as Sku;
    const context = { correlationId: "race", causationId: "race" };
    let raced = false;
    // Another process writes to the stream between this one's read and its append.
    const racing = {
      ...store,
      append: async (...args: Parameters<typeof store.append>) => {
        if (!raced) {
          raced = true;
          await rival.stockItem({ type: "ReceiveStock", sku, quantity: 1 as Quantity }, context)();
        }
        return store.append(...args);
      },
    };
    const bus = commandBus(
      createCommandHandler({
        store: metrics.observeStore(racing),
        clock: systemClock,
        ids: uuids,
        observer: metrics.observer,
      }),
    );
    await rival.stockItem({ type: "ReceiveStock", sku, quantity: 1 as Quantity }, context)();
    const received = await bus.stockItem(
      { type: "ReceiveStock", sku, quantity: 2 as Quantity },
      context,
    )();
    expect(received._tag).toBe("Right");
    expect((await store.readStream(stockItemStream(sku))).length).toBe(3);
    const category = { category: "StockItem" };
    expect(await sampleOf(metrics.registry, "mebel_append_conflicts_total", category)).toBe(1);
    expect(await sampleOf(metrics.registry, "mebel_command_retries_total", category)).toBe(1);
    expect(await sampleOf(metrics.registry, "mebel_events_appended_total", category)).toBe(1);
  });
});
