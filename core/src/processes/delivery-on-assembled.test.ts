import { describe, it } from "vitest";
import { delivery, order } from "../test-support/events.js";
import { givenProcess, redelivered } from "../test-support/process.js";
import { deliveryOnAssembled } from "./delivery-on-assembled.js";

const o1 = order("o-1");
const requestDelivery = {
  aggregate: "Delivery",
  command: { type: "RequestDelivery", orderId: "o-1" },
} as const;

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

  it("does nothing for anything else", () => {
    givenProcess(deliveryOnAssembled)
      .when(
        o1.created("cust-anna"),
        o1.placed("Storgata 1, Oslo", 100),
        delivery("o-1").requested(),
      )
      .thenCommands();
  });
});
