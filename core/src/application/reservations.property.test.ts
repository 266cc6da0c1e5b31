import {
  createMemoryEventStore,
  createMemoryReadModelStore,
  manualClock,
  uuids,
} from "@mebel/adapter-memory";
import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import { addressFromLine } from "../domain/order/delivery-address.js";
import { orderStream, stockItemStream } from "../domain/streams.js";
import { type Catalog, Product } from "../ports/catalog.js";
import type { EventStore } from "../ports/event-store.js";
import {
  type CustomerId,
  type LineId,
  type OrderId,
  type Quantity,
  type Sku,
  type Text,
  unsafeDecode,
} from "../shared/codecs.js";
import { addItem } from "./add-item.js";
import { orderAggregate, stockItemAggregate } from "./aggregates.js";
import { runSweeps, startBackOffice } from "./back-office.js";
import { commandBus } from "./command-bus.js";
import { createCommandHandler } from "./command-handler.js";
import { loadAggregate } from "./load-aggregate.js";

const sku = "SOFA-OSLO-3" as Sku;
const catalog: Catalog = {
  product: async (s) =>
    s === sku ? O.some(unsafeDecode(Product)({ sku, name: "Oslo sofa", price: 89_900 })) : O.none,
};
const ctx = { correlationId: "prop", causationId: "prop" };
const orderOf = (i: number) => `o-${i}` as OrderId;

type Op =
  | { kind: "add"; customer: number; quantity: number; crash: boolean }
  | { kind: "remove"; customer: number }
  | { kind: "cancel"; customer: number }
  | { kind: "place"; customer: number };

const op = (customers: number): fc.Arbitrary<Op> => {
  const customer = fc.integer({ min: 0, max: customers - 1 });
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant("add" as const),
        customer,
        quantity: fc.integer({ min: 1, max: 3 }),
        crash: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), customer }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), customer }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("place" as const), customer }) },
  );
};

/** Every store call becomes a point where the scheduler may switch to another task. */
const scheduled = (store: EventStore, s: fc.Scheduler): EventStore => ({
  ...store,
  append: s.scheduleFunction(store.append),
  readStream: s.scheduleFunction(store.readStream),
});

describe("reservations under any interleaving and any crash", () => {
  it("never oversell, and every reservation ends attached to a live line or released", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 2, max: 8 }),
        fc
          .integer({ min: 2, max: 4 })
          .chain((n) => fc.tuple(fc.constant(n), fc.array(op(n), { maxLength: 25 }))),
        async (s, units, [customers, ops]) => {
          const store = createMemoryEventStore();
          const clock = manualClock();
          const processes = [0, 1].map(() =>
            commandBus(createCommandHandler({ store: scheduled(store, s), clock, ids: uuids })),
          );
          const setup = commandBus(createCommandHandler({ store, clock, ids: uuids }));
          await setup.stockItem({ type: "ReceiveStock", sku, quantity: units as Quantity }, ctx)();
          for (let i = 0; i < customers; i += 1) {
            await setup.order(
              { type: "CreateOrder", orderId: orderOf(i), customerId: `c-${i}` as CustomerId },
              ctx,
            )();
          }

          const lines = new Map<number, LineId[]>();
          const run = async (o: Op, index: number) => {
            const bus = processes[index % 2] as (typeof processes)[number];
            const orderId = orderOf(o.customer);
            switch (o.kind) {
              case "add": {
                const lineId = `l-${index}` as LineId;
                lines.set(o.customer, [...(lines.get(o.customer) ?? []), lineId]);
                const quantity = o.quantity as Quantity;
                if (o.crash) {
                  // The process dies right after reserving: the line is never written.
                  await bus.stockItem(
                    { type: "ReserveStock", sku, orderId, lineId, quantity },
                    ctx,
                  )();
                  return;
                }
                await addItem({ bus, catalog })({ orderId, lineId, sku, quantity }, ctx)();
                return;
              }
              case "remove": {
                const lineId = lines.get(o.customer)?.[0];
                if (lineId !== undefined)
                  await bus.order({ type: "RemoveItem", orderId, lineId }, ctx)();
                return;
              }
              case "cancel":
                await bus.order(
                  { type: "CancelOrder", orderId, reason: "changed mind" as Text },
                  ctx,
                )();
                return;
              case "place":
                await bus.order(
                  {
                    type: "PlaceOrder",
                    orderId,
                    deliveryAddress: addressFromLine("Here 1" as Text),
                  },
                  ctx,
                )();
                return;
            }
          };
          await s.waitFor(Promise.all(ops.map(run)));

          // The back office catches up, then the sweeps close what crashes left open.
          const readModels = createMemoryReadModelStore();
          const office = startBackOffice({ store, readModels, bus: setup, clock }, []);
          await office.settle();
          await runSweeps(
            { readModels, store, bus: setup },
            {
              now: new Date(clock.now().getTime() + 60_000),
              orphanGraceMs: 30_000,
              deliveryGraceMs: 30_000,
              context: ctx,
            },
          );
          await office.settle();
          await office.stop();

          const stock = await loadAggregate(store, stockItemAggregate, stockItemStream(sku));
          if (E.isLeft(stock)) throw new Error("corrupt");
          const { onHand, reserved, reservations } = stock.right.state;
          expect(reserved).toBeLessThanOrEqual(onHand);

          const live = new Set<string>();
          for (let i = 0; i < customers; i += 1) {
            const order = await loadAggregate(store, orderAggregate, orderStream(orderOf(i)));
            if (E.isLeft(order) || order.right.state.status === "none") throw new Error("no order");
            if (order.right.state.status === "cancelled") continue;
            for (const lineId of Object.keys(order.right.state.lines)) live.add(lineId);
          }
          expect(new Set([...reservations].map((r) => r.lineId))).toEqual(live);
        },
      ),
      { numRuns: 60 },
    );
  });
});
