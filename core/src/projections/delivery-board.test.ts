import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deliveryDecider } from "../domain/delivery/delivery.js";
import { delivery, order } from "../test-support/events.js";
import { foldStreams, histories } from "../test-support/histories.js";
import { projectionLaws, propertyRuns } from "../test-support/projection-laws.js";
import { givenEvents, recordEvents } from "../testing/projection.js";
import { awaitingCourier, deliveriesByCourier, deliveryBoardProjection } from "./delivery-board.js";
import { replay } from "./projection.js";

const d1 = delivery("o-1");
const d2 = delivery("o-2");
const d3 = delivery("o-3");

describe("delivery board", () => {
  it("given a courier assigned with a window, shows the dispatcher and the courier the window", () => {
    const window = { from: "2026-01-06T07:00:00.000Z", to: "2026-01-06T11:00:00.000Z" };
    givenEvents(
      deliveryBoardProjection,
      ...recordEvents([
        d1.requested(),
        d1.courierAssigned("courier-ivan", window),
        d1.pickedUp("courier-ivan"),
      ]),
    ).thenDocument("o-1", { status: "picked_up", courierId: "courier-ivan", window });
    givenEvents(
      deliveryBoardProjection,
      ...recordEvents([
        d1.requested(),
        d1.courierAssigned("courier-ivan", window),
        d1.failed("courier-ivan", "Nobody at home"),
        d1.rescheduled(),
      ]),
    ).thenDocument("o-1", { status: "awaiting_courier", window: null });
  });

  it("follows a delivery from request to the customer", () => {
    givenEvents(
      deliveryBoardProjection,
      ...recordEvents([
        d1.requested(),
        d1.courierAssigned("courier-ivan"),
        d1.pickedUp("courier-ivan"),
        d1.completed("courier-ivan"),
      ]),
    ).thenDocument("o-1", {
      orderId: "o-1",
      status: "completed",
      courierId: "courier-ivan",
      requestedAt: "2026-01-05T09:00:00.000Z",
      assignedAt: "2026-01-05T09:01:00.000Z",
      failureReason: null,
      cancellationReason: null,
      updatedAt: "2026-01-05T09:03:00.000Z",
    });
  });

  it("keeps the reason a delivery failed", () => {
    givenEvents(
      deliveryBoardProjection,
      ...recordEvents([
        d1.requested(),
        d1.courierAssigned("courier-ivan"),
        d1.failed("courier-ivan", "Address not found"),
      ]),
    ).thenDocument("o-1", { status: "failed", failureReason: "Address not found" });
  });

  it("shows a cancelled delivery with its reason and the courier it had, no longer theirs to carry", () => {
    givenEvents(
      deliveryBoardProjection,
      ...recordEvents([
        d1.requested(),
        d2.requested(),
        d1.courierAssigned("courier-ivan"),
        d2.courierAssigned("courier-ivan"),
        d1.cancelled("Payment declined"),
        d2.cancelled("Customer changed their mind"),
        d3.requested(),
        d3.cancelled("Customer changed their mind"),
      ]),
    )
      .thenDocument("o-1", {
        status: "cancelled",
        courierId: "courier-ivan",
        cancellationReason: "Payment declined",
        updatedAt: "2026-01-05T09:04:00.000Z",
      })
      .thenDocument("o-3", { status: "cancelled", courierId: null })
      .thenQuery((docs) => awaitingCourier(docs), [])
      .thenQuery((docs) => deliveriesByCourier(docs), {});
  });

  it("puts a rescheduled delivery back on the list awaiting a courier, waiting from then on", () => {
    givenEvents(
      deliveryBoardProjection,
      ...recordEvents([
        d1.requested(),
        d1.courierAssigned("courier-ivan"),
        d1.pickedUp("courier-ivan"),
        d1.failed("courier-ivan", "Nobody at home"),
        d2.requested(),
        d1.rescheduled(),
      ]),
    )
      .thenDocument("o-1", {
        status: "awaiting_courier",
        courierId: null,
        requestedAt: "2026-01-05T09:05:00.000Z",
        assignedAt: null,
        failureReason: "Nobody at home",
      })
      .thenQuery((docs) => awaitingCourier(docs).map((d) => d.orderId), ["o-2", "o-1"])
      .thenQuery((docs) => deliveriesByCourier(docs), {});
  });

  it("lists the deliveries awaiting a courier, the longest waiting first", () => {
    givenEvents(
      deliveryBoardProjection,
      ...recordEvents([
        d2.requested(),
        d1.requested(),
        d3.requested(),
        d1.courierAssigned("courier-ivan"),
      ]),
    ).thenQuery((docs) => awaitingCourier(docs).map((d) => d.orderId), ["o-2", "o-3"]);
  });

  it("groups each courier's deliveries still to carry, leaving finished ones out", () => {
    givenEvents(
      deliveryBoardProjection,
      ...recordEvents([
        d1.requested(),
        d2.requested(),
        d3.requested(),
        delivery("o-4").requested(),
        d1.courierAssigned("courier-olga"),
        d2.courierAssigned("courier-ivan"),
        d3.courierAssigned("courier-ivan"),
        d3.pickedUp("courier-ivan"),
        delivery("o-4").courierAssigned("courier-pia"),
        delivery("o-4").pickedUp("courier-pia"),
        delivery("o-4").completed("courier-pia"),
      ]),
    ).thenQuery(
      (docs) =>
        new Map(
          [...deliveriesByCourier(docs)].map(([courier, ds]) => [
            courier,
            ds.map((d) => `${d.orderId} ${d.status}`),
          ]),
        ),
      { "courier-ivan": ["o-2 assigned", "o-3 picked_up"], "courier-olga": ["o-1 assigned"] },
    );
  });

  it("reads only Delivery streams", () => {
    givenEvents(
      deliveryBoardProjection,
      ...recordEvents([order("o-1").created("cust-anna"), order("o-1").assembled()]),
    ).thenDocuments({});
  });

  it("agrees with the Delivery aggregate on status and courier, over any history", () => {
    fc.assert(
      fc.property(histories(), ({ events }) => {
        const board = [...replay(deliveryBoardProjection, events)];
        const streams = [...foldStreams(events, "Delivery", deliveryDecider)];
        expect(
          Object.fromEntries(
            board.map(([id, { status, courierId }]) => [id, { status, courierId }]),
          ),
        ).toEqual(
          Object.fromEntries(
            streams.map(([id, s]) => [
              id,
              s.status === "none" ? s : { status: s.status, courierId: s.courierId },
            ]),
          ),
        );
      }),
      propertyRuns,
    );
  });
});

projectionLaws(deliveryBoardProjection);
