import { createMemoryEventStore, manualClock, uuids } from "@mebel/adapter-memory";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DeliveryState, deliveryDecider } from "../domain/delivery/delivery.js";
import type { DeliveryEvent } from "../domain/delivery/events.js";
import { deliveryEvents } from "../domain/delivery/events.js";
import { addressFromLine } from "../domain/order/delivery-address.js";
import { deliveryStream, orderStream } from "../domain/streams.js";
import type { EventStore } from "../ports/event-store.js";
import type {
  CourierId,
  CustomerId,
  LineId,
  MinorUnits,
  OrderId,
  Quantity,
  Sku,
  Text,
} from "../shared/codecs.js";
import { orderAggregate } from "./aggregates.js";
import { commandBus } from "./command-bus.js";
import { createCommandHandler } from "./command-handler.js";
import { pickUpDelivery } from "./delivery-pick-up.js";
import { rerequestDelivery } from "./delivery-rerequest.js";
import { loadAggregate } from "./load-aggregate.js";

const orderId = "o-1" as OrderId;
const ctx = { correlationId: "prop", causationId: "prop" };
const reason = "prop" as Text;
const couriers = ["anna" as CourierId, "boris" as CourierId];

type Op =
  | { kind: "rerequest" }
  | { kind: "cancelByHand" }
  | { kind: "cancelOrder" }
  | { kind: "assign"; courier: 0 | 1 }
  | { kind: "reassign"; courier: 0 | 1 }
  | { kind: "pickUp"; courier: 0 | 1 }
  | { kind: "fail" }
  | { kind: "complete" };

const courier = fc.constantFrom(0 as const, 1 as const);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "rerequest" as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: "cancelByHand" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "cancelOrder" as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("assign" as const), courier }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reassign" as const), courier }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("pickUp" as const), courier }) },
  { weight: 2, arbitrary: fc.constant({ kind: "fail" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "complete" as const }) },
);

/** Every store call becomes a point where the scheduler may switch to another task. */
const scheduled = (store: EventStore, s: fc.Scheduler): EventStore => ({
  ...store,
  append: s.scheduleFunction(store.append),
  readStream: s.scheduleFunction(store.readStream),
});

const live = (status: DeliveryState["status"]) =>
  status === "awaiting_courier" || status === "assigned" || status === "picked_up";

const opens = new Set(["DeliveryRequested", "DeliveryRescheduled", "DeliveryRerequested"]);

describe("re-requesting a delivery, under any interleaving of staff, sweeps and instances", () => {
  it("never opens a second live delivery for an order, nor keeps one for a cancelled order", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(op, { maxLength: 12 }), async (s, ops) => {
        const store = createMemoryEventStore();
        const clock = manualClock();
        // Two instances of the delivery service: each its own handler, cache and queue.
        const instances = [0, 1].map(() =>
          commandBus(createCommandHandler({ store: scheduled(store, s), clock, ids: uuids })),
        );
        const setup = commandBus(createCommandHandler({ store, clock, ids: uuids }));
        for (const command of [
          { type: "CreateOrder", orderId, customerId: "c-1" as CustomerId },
          {
            type: "AddItem",
            orderId,
            lineId: "l-1" as LineId,
            sku: "SOFA" as Sku,
            quantity: 1 as Quantity,
            unitPrice: 100 as MinorUnits,
          },
          { type: "PlaceOrder", orderId, deliveryAddress: addressFromLine("Here 1" as Text) },
          { type: "StartProcessing", orderId },
          { type: "MarkAssembled", orderId },
        ] as const) {
          await setup.order(command, ctx)();
        }
        await setup.delivery({ type: "RequestDelivery", orderId }, ctx)();

        const run = async (o: Op, index: number) => {
          const bus = instances[index % 2] as (typeof instances)[number];
          const deps = { store: scheduled(store, s), bus };
          switch (o.kind) {
            case "rerequest":
              return rerequestDelivery(deps, orderId, ctx);
            case "cancelByHand":
              return bus.delivery({ type: "CancelDelivery", orderId, reason }, ctx)();
            case "cancelOrder": {
              await bus.order({ type: "CancelOrder", orderId, reason }, ctx)();
              // delivery-on-assembled reads the OrderCancelled: it may act before a re-request
              // that read the order before the cancellation appends.
              return bus.delivery({ type: "CancelDelivery", orderId, reason }, ctx)();
            }
            case "assign":
              return bus.delivery(
                { type: "AssignCourier", orderId, courierId: couriers[o.courier] as CourierId },
                ctx,
              )();
            case "reassign":
              return bus.delivery(
                { type: "ReassignCourier", orderId, courierId: couriers[o.courier] as CourierId },
                ctx,
              )();
            case "pickUp":
              return pickUpDelivery(deps, orderId, couriers[o.courier] as CourierId, ctx);
            case "fail":
              return bus.delivery({ type: "FailDelivery", orderId, reason }, ctx)();
            case "complete":
              return bus.delivery({ type: "CompleteDelivery", orderId }, ctx)();
          }
        };
        await s.waitFor(Promise.all(ops.map(run)));
        const order = await loadAggregate(store, orderAggregate, orderStream(orderId));
        const cancelled = order._tag === "Right" && order.right.state.status === "cancelled";

        const history = (await store.readStream(deliveryStream(orderId))).map((stored) => {
          const decoded = deliveryEvents.decode(stored.type, stored.data);
          if (decoded._tag === "Left") throw new Error(JSON.stringify(decoded.left));
          return decoded.right as DeliveryEvent;
        });
        let state = deliveryDecider.initialState;
        for (const event of history) {
          // A delivery is opened only when none is live: at most one live per order, ever.
          if (opens.has(event.type))
            expect(state.status === "none" || !live(state.status)).toBe(true);
          state = deliveryDecider.evolve(state, event);
        }
        if (cancelled) expect(live(state.status)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});
