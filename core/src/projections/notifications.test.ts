import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { delivery, order, stock } from "../test-support/events.js";
import { histories } from "../test-support/histories.js";
import { projectionLaws, propertyRuns } from "../test-support/projection-laws.js";
import { type EventInput, givenEvents, recordEvents } from "../testing/projection.js";
import { notificationsOfCustomer, notificationsProjection } from "./notifications.js";
import { indexEntriesOf, replay } from "./projection.js";

const o1 = order("o-1");
const d1 = delivery("o-1");
const sofa = { lineId: "l-1", sku: "SOFA-OSLO-3", quantity: 1 };
const assembled = [
  o1.created("cust-anna"),
  o1.itemAdded("l-1", "SOFA-OSLO-3", 1, 129_000),
  o1.placed("Storgata 1, Oslo", 129_000),
  o1.processingStarted(),
  o1.assembled(),
];

/** Ivan gave up on the delivery: the first attempt failed. */
const failedOnce = [
  ...assembled,
  d1.requested(),
  d1.courierAssigned("courier-ivan"),
  d1.failed("courier-ivan", "Nobody at home"),
];

const kinds = (...events: ReadonlyArray<EventInput>) =>
  givenEvents(notificationsProjection, ...recordEvents(events))
    .docs.get("o-1")
    ?.notifications.map((n) => n.kind);

describe("notifications", () => {
  it("lists an order under its customer once told, sorted by its first notification, which never moves", () => {
    const entries = (...events: ReadonlyArray<EventInput>) => {
      const doc = givenEvents(notificationsProjection, ...recordEvents(events)).docs.get("o-1");
      if (doc === undefined || notificationsProjection.indexes === undefined) return undefined;
      return { doc, entries: indexEntriesOf(notificationsProjection.indexes, doc) };
    };
    expect(entries(o1.created("cust-anna"))?.entries).toEqual([]);
    const placed = entries(...assembled.slice(0, 3));
    const later = entries(...assembled);
    expect(placed?.entries).toEqual([
      { index: "byCustomer", group: "cust-anna", sort: placed?.doc.notifications[0]?.at },
    ]);
    expect(later?.entries).toEqual(placed?.entries);
  });

  it("tells the customer each step once, the handover and the pickup as one", () => {
    expect(
      kinds(
        ...assembled,
        d1.requested(),
        d1.courierAssigned("courier-ivan"),
        o1.handedToCourier("courier-ivan", sofa),
        d1.pickedUp("courier-ivan"),
        d1.completed("courier-ivan"),
      ),
    ).toEqual([
      "placed",
      "processing",
      "assembled",
      "courier_assigned",
      "out_for_delivery",
      "delivered",
    ]);
  });

  it("says nothing about a courier assigned after the order already left with one", () => {
    expect(
      kinds(
        ...assembled,
        d1.requested(),
        o1.handedToCourier("courier-olga", sofa),
        d1.courierAssigned("courier-olga"),
        d1.pickedUp("courier-olga"),
      ),
    ).toEqual(["placed", "processing", "assembled", "out_for_delivery"]);
  });

  it("writes what happened, in the customer's words, with the event's id and time", () => {
    givenEvents(notificationsProjection, ...recordEvents(failedOnce)).thenQuery(
      (docs) => notificationsOfCustomer(docs, "cust-anna").slice(0, 2),
      [
        {
          id: "Delivery-o-1@2",
          orderId: "o-1",
          at: "2026-01-05T09:07:00.000Z",
          kind: "delivery_failed",
          message: "We could not deliver your order (Nobody at home). We will contact you.",
        },
        {
          id: "Delivery-o-1@1",
          orderId: "o-1",
          at: "2026-01-05T09:06:00.000Z",
          kind: "courier_assigned",
          message: "A courier has been assigned to deliver your order. We will tell you the time.",
          window: null,
        },
      ],
    );
  });

  it("given a courier assigned with a window, tells the window with the assignment", () => {
    const window = { from: "2026-01-06T07:00:00.000Z", to: "2026-01-06T11:00:00.000Z" };
    givenEvents(
      notificationsProjection,
      ...recordEvents([...assembled, d1.requested(), d1.courierAssigned("courier-ivan", window)]),
    ).thenQuery((docs) => notificationsOfCustomer(docs, "cust-anna")[0], {
      id: "Delivery-o-1@1",
      orderId: "o-1",
      at: "2026-01-05T09:06:00.000Z",
      kind: "courier_assigned",
      message: "A courier has been assigned to deliver your order, in the window shown.",
      window,
    });
  });

  it("tells of a cancellation with its reason, and nothing after it", () => {
    givenEvents(
      notificationsProjection,
      ...recordEvents([
        ...assembled.slice(0, 3),
        o1.cancelled("Payment declined", sofa),
        d1.requested(),
      ]),
    ).thenQuery(
      (docs) => notificationsOfCustomer(docs, "cust-anna").map((n) => n.message),
      ["Your order was cancelled: Payment declined", "Thank you! Your order of 1290.00 is placed."],
    );
  });

  it("tells of a failed delivery tried again, and of each step of the new attempt", () => {
    expect(
      kinds(
        ...failedOnce,
        d1.rescheduled(),
        d1.courierAssigned("courier-olga"),
        o1.handedToCourier("courier-olga", sofa),
        d1.pickedUp("courier-olga"),
        d1.completed("courier-olga"),
      ),
    ).toEqual([
      "placed",
      "processing",
      "assembled",
      "courier_assigned",
      "delivery_failed",
      "delivery_rescheduled",
      "courier_assigned",
      "out_for_delivery",
      "delivered",
    ]);
    givenEvents(
      notificationsProjection,
      ...recordEvents([...failedOnce, d1.rescheduled()]),
    ).thenQuery((docs) => notificationsOfCustomer(docs, "cust-anna")[0], {
      id: "Delivery-o-1@3",
      orderId: "o-1",
      at: "2026-01-05T09:08:00.000Z",
      kind: "delivery_rescheduled",
      message: "We will try again to deliver your order: a courier will be assigned.",
    });
  });

  it("says nothing more of a delivery cancelled with its order: the order's cancellation told it", () => {
    expect(
      kinds(
        ...assembled,
        d1.requested(),
        d1.courierAssigned("courier-ivan"),
        o1.cancelled("Payment declined", sofa),
        d1.cancelled("Payment declined"),
      ),
    ).toEqual(["placed", "processing", "assembled", "courier_assigned", "cancelled"]);
  });

  it("says nothing of a cancelled order's failed delivery rescheduled", () => {
    expect(kinds(...failedOnce, o1.cancelled("Payment declined", sofa), d1.rescheduled())).toEqual([
      "placed",
      "processing",
      "assembled",
      "courier_assigned",
      "delivery_failed",
      "cancelled",
    ]);
  });

  it("gives a customer their own notifications across orders, newest first", () => {
    givenEvents(
      notificationsProjection,
      ...recordEvents([
        o1.created("cust-anna"),
        order("o-2").created("cust-bo"),
        order("o-3").created("cust-anna"),
        o1.itemAdded("l-1", "SOFA-OSLO-3", 1, 100),
        o1.placed("Storgata 1, Oslo", 100),
        order("o-2").itemAdded("l-2", "SOFA-OSLO-3", 1, 100),
        order("o-2").placed("Storgata 1, Oslo", 100),
        order("o-3").itemAdded("l-3", "SOFA-OSLO-3", 1, 100),
        order("o-3").placed("Storgata 1, Oslo", 100),
        o1.processingStarted(),
      ]),
    ).thenQuery(
      (docs) => notificationsOfCustomer(docs, "cust-anna").map((n) => `${n.orderId} ${n.kind}`),
      ["o-1 processing", "o-3 placed", "o-1 placed"],
    );
  });

  it("keeps nothing for a draft, and ignores stock", () => {
    givenEvents(
      notificationsProjection,
      ...recordEvents([o1.created("cust-anna"), stock("SOFA-OSLO-3").received(3)]),
    )
      .thenDocuments({ "o-1": { customerId: "cust-anna", status: "draft", notifications: [] } })
      .thenNoDocument("SOFA-OSLO-3");
  });

  it("never tells the same thing twice in one attempt to deliver, and each notification names a distinct event, over any history", () => {
    /** The kinds told, split where a failed delivery is tried again. */
    const attempts = (notifications: ReadonlyArray<{ readonly kind: string }>) => {
      const split: string[][] = [[]];
      for (const { kind } of notifications) {
        if (kind === "delivery_rescheduled") split.push([]);
        split.at(-1)?.push(kind);
      }
      return split;
    };
    fc.assert(
      fc.property(histories(), ({ events }) => {
        const repeated = [...replay(notificationsProjection, events).values()].filter(
          ({ notifications }) =>
            attempts(notifications).some((kinds) => new Set(kinds).size < kinds.length) ||
            new Set(notifications.map((n) => n.id)).size < notifications.length,
        );
        expect(repeated).toEqual([]);
      }),
      propertyRuns,
    );
  });
});

projectionLaws(notificationsProjection);
