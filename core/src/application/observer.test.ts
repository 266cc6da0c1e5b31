import {
  createMemoryEventStore,
  createMemoryReadModelStore,
  systemClock,
  uuids,
} from "@mebel/adapter-memory";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { Observer } from "../ports/observer.js";
import { releaseReservations } from "../processes/release-reservations.js";
import type {
  CustomerId,
  LineId,
  MinorUnits,
  OrderId,
  Quantity,
  Sku,
  Text,
} from "../shared/codecs.js";
import { receivedUnits } from "../test-support/received-units.js";
import { commandBus } from "./command-bus.js";
import { createCommandHandler } from "./command-handler.js";
import { startProcessManager } from "./process-runner.js";
import { startProjection } from "./projection-runner.js";

interface Recorded {
  readonly name: string;
  readonly id: string;
  readonly parent: string | undefined;
  failure?: string;
  ended: boolean;
}

/** An observer that keeps what it is told; span ids stand in for W3C trace contexts. */
const recorder = () => {
  const spans: Recorded[] = [];
  const told: string[] = [];
  const observer: Observer = {
    span: (name, parent) => {
      const span: Recorded = { name, id: `span-${spans.length}`, parent, ended: false };
      spans.push(span);
      return {
        traceparent: span.id,
        end: (failure) => {
          span.ended = true;
          if (failure !== undefined) span.failure = failure;
        },
      };
    },
    retried: (stream) => told.push(`retried ${stream}`),
    progressed: (subscriber, handled) => told.push(`progressed ${subscriber} ${handled}`),
    stumbled: (subscriber, state) => told.push(`stumbled ${subscriber} ${state}`),
    swept: () => {},
  };
  const named = (name: string) => spans.filter((s) => s.name === name);
  return { observer, spans, told, named };
};

const sku = "SOFA-OSLO-3" as Sku;
const request = { correlationId: "corr", causationId: "req", traceparent: "request-span" };

describe("the observation port", () => {
  it("gets a span per command under the request's, with load, decide and append under it, stored with the events", async () => {
    const store = createMemoryEventStore();
    const r = recorder();
    const bus = commandBus(
      createCommandHandler({ store, clock: systemClock, ids: uuids, observer: r.observer }),
    );
    await bus.stockItem({ type: "ReceiveStock", sku, quantity: 2 as Quantity }, request)();
    const [command] = r.named("StockItem.ReceiveStock");
    expect(command).toMatchObject({ parent: "request-span", ended: true });
    expect(r.spans.filter((s) => s.parent === command?.id).map((s) => s.name)).toEqual([
      "load",
      "decide",
      "append",
    ]);
    const [stored] = store.all();
    expect(stored?.metadata).toMatchObject({ correlationId: "corr", traceparent: command?.id });

    // A refusal ends the command's span with its code.
    const refused = await bus.stockItem(
      {
        type: "ReserveStock",
        sku,
        orderId: "o-1" as OrderId,
        lineId: "l-1" as LineId,
        quantity: 5 as Quantity,
      },
      request,
    )();
    expect(E.isLeft(refused)).toBe(true);
    expect(r.named("StockItem.ReserveStock")[0]?.failure).toBe("INSUFFICIENT_STOCK");
  });

  it("is told of a retry after a lost race", async () => {
    const store = createMemoryEventStore();
    const r = recorder();
    const rival = commandBus(createCommandHandler({ store, clock: systemClock, ids: uuids }));
    let raced = false;
    const racing = {
      ...store,
      append: async (...args: Parameters<typeof store.append>) => {
        if (!raced) {
          raced = true;
          await rival.stockItem({ type: "ReceiveStock", sku, quantity: 1 as Quantity }, request)();
        }
        return store.append(...args);
      },
    };
    const bus = commandBus(
      createCommandHandler({ store: racing, clock: systemClock, ids: uuids, observer: r.observer }),
    );
    await bus.stockItem({ type: "ReceiveStock", sku, quantity: 2 as Quantity }, request)();
    expect(r.told).toEqual([`retried StockItem-${sku}`]);
    expect(r.named("append").map((s) => s.failure)).toEqual(["WRONG_EXPECTED_REVISION", undefined]);
  });

  it("hangs a process manager's and a projection's work under the command that wrote the event", async () => {
    const store = createMemoryEventStore();
    const readModels = createMemoryReadModelStore();
    const r = recorder();
    const bus = commandBus(
      createCommandHandler({ store, clock: systemClock, ids: uuids, observer: r.observer }),
    );
    const order = { orderId: "o-1" as OrderId, customerId: "c" as CustomerId };
    await bus.stockItem({ type: "ReceiveStock", sku, quantity: 2 as Quantity }, request)();
    await bus.order({ type: "CreateOrder", ...order }, request)();
    await bus.stockItem(
      {
        type: "ReserveStock",
        sku,
        orderId: order.orderId,
        lineId: "l-1" as LineId,
        quantity: 1 as Quantity,
      },
      request,
    )();
    await bus.order(
      {
        type: "AddItem",
        orderId: order.orderId,
        lineId: "l-1" as LineId,
        sku,
        quantity: 1 as Quantity,
        unitPrice: 100 as MinorUnits,
      },
      request,
    )();
    const cancel = { correlationId: "corr-2", causationId: "req-2", traceparent: "cancel-request" };
    await bus.order(
      { type: "CancelOrder", orderId: order.orderId, reason: "gone" as Text },
      cancel,
    )();
    const deps = { store, readModels, bus, clock: systemClock, observer: r.observer };
    const manager = startProcessManager(releaseReservations, deps);
    const projection = startProjection(receivedUnits, deps);
    const head = await store.head();
    if (head !== undefined) {
      await manager.waitUntil(head);
      await projection.waitUntil(head);
    }
    await manager.stop();
    await projection.stop();

    const [cancelCommand] = r.named("Order.CancelOrder");
    expect(cancelCommand?.parent).toBe("cancel-request");
    const handled = r.named("process release-reservations");
    const onCancel = handled.find((s) => s.parent === cancelCommand?.id);
    expect(onCancel?.ended).toBe(true);
    // The release it sent is a command under its span.
    expect(r.named("StockItem.ReleaseReservation").map((s) => s.parent)).toEqual([onCancel?.id]);
    expect(r.spans.filter((s) => s.name.startsWith("project ")).length).toBeGreaterThan(0);
    expect(r.told.filter((t) => t.startsWith("progressed")).length).toBeGreaterThan(0);
  });
});
