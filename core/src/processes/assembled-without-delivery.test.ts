import { describe, expect, it } from "vitest";
import { orderViewProjection } from "../projections/order-view.js";
import { at, delivery, order } from "../test-support/events.js";
import { givenEvents, recordEvents } from "../testing/projection.js";
import { assembledWithoutDelivery } from "./assembled-without-delivery.js";

const HOUR = 3_600_000;
const assembledAt = (orderId: string, instant: string) => {
  const o = order(orderId);
  return [
    o.created("cust-anna"),
    o.itemAdded(`l-${orderId}`, "SOFA-OSLO-3", 1, 100),
    o.placed("Storgata 1, Oslo", 100),
    o.processingStarted(),
    at(instant, o.assembled()),
  ];
};

describe("assembled without delivery (R3)", () => {
  it("requests a delivery for orders assembled longer ago than the grace, oldest first", () => {
    const views = givenEvents(
      orderViewProjection,
      ...recordEvents([
        ...assembledAt("o-2", "2026-01-05T10:00:00.000Z"),
        ...assembledAt("o-1", "2026-01-05T09:30:00.000Z"),
        ...assembledAt("o-3", "2026-01-05T10:45:00.000Z"),
      ]),
    ).docs.values();
    expect(assembledWithoutDelivery(views, new Date("2026-01-05T11:00:00.000Z"), HOUR)).toEqual([
      { aggregate: "Delivery", command: { type: "RequestDelivery", orderId: "o-1" } },
    ]);
  });

  it("leaves alone orders whose delivery was seen, that left with a courier or were cancelled", () => {
    givenEvents(
      orderViewProjection,
      ...recordEvents([
        ...assembledAt("o-1", "2026-01-05T09:00:00.000Z"),
        delivery("o-1").requested(),
        ...assembledAt("o-2", "2026-01-05T09:00:00.000Z"),
        order("o-2").handedToCourier("courier-ivan"),
        ...assembledAt("o-3", "2026-01-05T09:00:00.000Z"),
        order("o-3").cancelled("Payment declined"),
        order("o-4").created("cust-bo"),
      ]),
    ).thenQuery(
      (views) => assembledWithoutDelivery(views, new Date("2026-01-06T09:00:00.000Z"), HOUR),
      [],
    );
  });

  it("waits out the grace: exactly at its end is not yet longer", () => {
    const views = givenEvents(
      orderViewProjection,
      ...recordEvents(assembledAt("o-1", "2026-01-05T09:00:00.000Z")),
    ).docs.values();
    expect(assembledWithoutDelivery(views, new Date("2026-01-05T10:00:00.000Z"), HOUR)).toEqual([]);
  });
});
