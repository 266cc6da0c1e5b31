import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deliveryDecider } from "../domain/delivery/delivery.js";
import { orderDecider } from "../domain/order/order.js";
import { delivery, order } from "../test-support/events.js";
import { foldStreams, histories } from "../test-support/histories.js";
import { givenProcess, redelivered, runProcess } from "../test-support/process.js";
import { propertyRuns } from "../test-support/projection-laws.js";
import { COURIERS } from "../test-support/shop-data.js";
import { courierAssignment } from "./courier-assignment.js";
import { deliveryOnAssembled } from "./delivery-on-assembled.js";

const o1 = order("o-1");
const sofa = { lineId: "l-1", sku: "SOFA-OSLO-3", quantity: 1 };
const requestDelivery = {
  aggregate: "Delivery",
  command: { type: "RequestDelivery", orderId: "o-1" },
} as const;
const cancelDelivery = (reason: string) =>
  ({
    aggregate: "Delivery",
    command: { type: "CancelDelivery", orderId: "o-1", reason },
  }) as const;

describe("delivery on assembled", () => {
  it("requests a delivery when an order is assembled", () => {
    givenProcess(deliveryOnAssembled, o1.processingStarted())
      .when(o1.assembled())
      .thenCommands(requestDelivery);
  });

  it("asks again when the event comes again: one delivery per order makes that a no-op", () => {
    givenProcess(deliveryOnAssembled, o1.assembled())
      .when(redelivered(0))
      .thenCommands(requestDelivery);
  });

  it("cancels the delivery of an order cancelled after it was assembled, with the order's reason", () => {
    givenProcess(deliveryOnAssembled, o1.processingStarted(), o1.assembled())
      .when(o1.cancelled("Payment declined", sofa))
      .thenCommands(cancelDelivery("Payment declined"));
  });

  it("asks in the log's order: the request an assembly causes comes before the cancellation", () => {
    givenProcess(deliveryOnAssembled, o1.processingStarted())
      .when(o1.assembled(), o1.cancelled("Customer changed their mind", sofa))
      .thenCommands(requestDelivery, cancelDelivery("Customer changed their mind"));
  });

  it("asks to cancel for any cancelled order: with no delivery requested, that is a no-op", () => {
    givenProcess(deliveryOnAssembled, o1.created("cust-anna"))
      .when(o1.cancelled("Customer changed their mind"))
      .thenCommands(cancelDelivery("Customer changed their mind"));
  });

  it("leaves no cancelled order a delivery that waits or takes a courier's place, over any history left to settle", () => {
    const assignment = courierAssignment(COURIERS);
    fc.assert(
      fc.property(histories({ settled: true }), ({ events }) => {
        const deliveries = foldStreams(events, "Delivery", deliveryDecider);
        const { waiting, active } = runProcess(assignment, assignment.initialState, events).state;
        const tracked = new Set<string>([
          ...waiting.map((w) => w.orderId),
          ...Object.values(active).flat(),
        ]);
        const leftBehind = [...foldStreams(events, "Order", orderDecider)].flatMap(
          ([orderId, { status }]) => {
            const left = deliveries.get(orderId)?.status ?? "none";
            return status === "cancelled" &&
              ((left !== "none" && left !== "cancelled") || tracked.has(orderId))
              ? [`${orderId}: delivery ${left}${tracked.has(orderId) ? ", tracked" : ""}`]
              : [];
          },
        );
        expect(leftBehind).toEqual([]);
      }),
      propertyRuns,
    );
  });

  it("does nothing for anything else", () => {
    givenProcess(deliveryOnAssembled)
      .when(
        o1.created("cust-anna"),
        o1.placed("Storgata 1, Oslo", 100),
        o1.handedToCourier("courier-ivan", sofa),
        delivery("o-1").requested(),
        delivery("o-1").cancelled("Payment declined"),
      )
      .thenCommands();
  });
});
