import { createTelemetry, parseTraceparent } from "@mebel/adapter-http";
import { SpanKind, trace } from "@opentelemetry/api";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startObservedWorld } from "./test-support/observed-world.js";
import { readTracingSettings } from "./tracing.js";

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
trace.setGlobalTracerProvider(provider);
const telemetry = createTelemetry({ tracing: true });
let world: Awaited<ReturnType<typeof startObservedWorld>>;
afterAll(async () => {
  await world?.close();
  await provider.shutdown();
});

beforeAll(async () => {
  world = await startObservedWorld(telemetry);
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

describe("one add-item through the site", () => {
  it("is one connected trace: site, its hop to the warehouse, the command, and the process manager after a restart", async () => {
    const staff = await world.issuer.bearer("wh-1", ["warehouse"]);
    const olga = await world.issuer.bearer("olga", ["customer"]);
    await world.call(world.warehouse, "POST", "/stock/SOFA-OSLO-3/receive", staff, {
      quantity: 3,
    });
    const created = await world.call(world.site, "POST", "/customers/olga/orders", olga);
    const { orderId } = JSON.parse(created.text);
    await world.settle();
    // The process manager is down while the item is added: it meets the event after its restart.
    await world.stopSubscribers();
    exporter.reset();

    const added = await world.call(
      world.site,
      "POST",
      `/customers/olga/orders/${orderId}/items`,
      olga,
      { sku: "SOFA-OSLO-3", quantity: 1 },
    );
    expect(added.status).toBe(201);
    world.restartSubscribers();
    await world.settle();

    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const one = (name: string) => {
      const found = byName(name);
      expect(found, name).toHaveLength(1);
      return found[0] as ReadableSpan;
    };
    const site = one("POST /customers/:customerId/orders/:orderId/items");
    const warehouse = one("POST /orders/:orderId/items");
    const process = one("process release-reservations");

    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(
      new Set([site.spanContext().traceId]),
    );
    expect(site.kind).toBe(SpanKind.SERVER);
    expect(parentOf(site)).toBeUndefined();
    // The hop: a client span under the site's request, the warehouse's request under it.
    const hops = spans.filter((s) => s.name === "warehouse POST");
    expect(hops.map(parentOf)).toEqual([idOf(site)]);
    expect(parentOf(warehouse)).toBe(idOf(hops[0] as ReadableSpan));
    expect(warehouse.parentSpanContext?.isRemote).toBe(true);
    // The commands under the warehouse's request, each with its load, decide and append.
    const commands = spans.filter((s) => parentOf(s) === idOf(warehouse));
    expect(commands.map((s) => s.name).sort()).toEqual(["Order.AddItem", "StockItem.ReserveStock"]);
    for (const command of commands) {
      expect(spans.filter((s) => parentOf(s) === idOf(command)).map((s) => s.name)).toEqual(
        expect.arrayContaining(["decide", "append"]),
      );
    }
    // The process manager, restarted since, hangs under the command that wrote its event.
    const addLine = commands.find((s) => s.name === "Order.AddItem") as ReadableSpan;
    expect(parentOf(process)).toBe(idOf(addLine));
    expect(process.attributes["mebel.event"]).toBe("OrderItemAdded");
    // ...because the event carries the command's trace context.
    const stored = world.store.all().find((e) => e.type === "OrderItemAdded");
    const context = parseTraceparent(
      (stored?.metadata as { traceparent?: string } | undefined)?.traceparent,
    );
    expect(context?.spanId).toBe(idOf(addLine));
    // The projections too.
    expect(spans.filter((s) => s.name.startsWith("project availability.")).length).toBeGreaterThan(
      0,
    );
  });

  it("continues a trace the caller started", async () => {
    exporter.reset();
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const answer = await world.call(world.site, "GET", "/health", {
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    expect(answer.status).toBe(200);
    const [span] = exporter.getFinishedSpans();
    expect(span?.spanContext().traceId).toBe(traceId);
    expect(span?.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
  });

  it("starts a new trace for a malformed traceparent, without failing the request", async () => {
    exporter.reset();
    const answer = await world.call(world.site, "GET", "/health", { traceparent: "00-zz-bad" });
    expect(answer.status).toBe(200);
    const [span] = exporter.getFinishedSpans();
    expect(span?.parentSpanContext).toBeUndefined();
  });
});

describe("tracing settings", () => {
  it("is off unless an OTLP endpoint or an exporter is named", () => {
    expect(readTracingSettings({}, "mebel-all")).toEqual(E.right({ kind: "off" }));
    expect(
      readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }, "mebel-all"),
    ).toEqual(E.right({ kind: "otlp", serviceName: "mebel-all" }));
    expect(
      readTracingSettings({ OTEL_TRACES_EXPORTER: "console", OTEL_SERVICE_NAME: "shop" }, "x"),
    ).toEqual(E.right({ kind: "console", serviceName: "shop" }));
    expect(
      readTracingSettings(
        { OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" },
        "x",
      ),
    ).toEqual(E.right({ kind: "off" }));
    expect(E.isLeft(readTracingSettings({ OTEL_TRACES_EXPORTER: "zipkin" }, "x"))).toBe(true);
    expect(E.isLeft(readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" }, "x"))).toBe(
      true,
    );
  });
});
