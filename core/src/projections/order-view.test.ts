import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addressFromLine } from "../domain/order/delivery-address.js";
import { orderDecider } from "../domain/order/order.js";
import type { Text } from "../shared/codecs.js";
import { delivery, order, stock } from "../test-support/events.js";
import { foldStreams, histories } from "../test-support/histories.js";
import { projectionLaws, propertyRuns } from "../test-support/projection-laws.js";
import { canonicalJson } from "../testing/equality.js";
import { type EventInput, givenEvents, recordEvents } from "../testing/projection.js";
import {
  type OrderView,
  ordersOfCustomer,
  ordersWithStatus,
  orderViewProjection,
} from "./order-view.js";
import { replay } from "./projection.js";
import type { SiteStatus } from "./site-status.js";

const o1 = order("o-1");
const d1 = delivery("o-1");
const sofa = { lineId: "l-1", sku: "SOFA-OSLO-3", quantity: 1 };
const chairs = { lineId: "l-2", sku: "CHAIR-LUND", quantity: 4 };

const placedOrder = [
  o1.created("cust-anna"),
  o1.itemAdded("l-1", "SOFA-OSLO-3", 1, 129_000),
  o1.itemAdded("l-2", "CHAIR-LUND", 4, 4_990),
  o1.placed("Storgata 1, Oslo", 148_960),
];
const assembledOrder = [...placedOrder, o1.processingStarted(), o1.assembled()];

describe("order view", () => {
  it("shows a draft's lines and running total as items come and go", () => {
    givenEvents(
      orderViewProjection,
      ...recordEvents([
        o1.created("cust-anna"),
        o1.itemAdded("l-1", "SOFA-OSLO-3", 1, 129_000),
        o1.itemAdded("l-2", "CHAIR-LUND", 4, 4_990),
        o1.itemRemoved("l-1", "SOFA-OSLO-3", 1),
      ]),
    ).thenDocument("o-1", {
      orderId: "o-1",
      customerId: "cust-anna",
      status: "draft",
      lines: [{ lineId: "l-2", sku: "CHAIR-LUND", quantity: 4, unitPrice: 4_990 }],
      total: 19_960,
      deliveryAddress: null,
      createdAt: "2026-01-05T09:00:00.000Z",
      updatedAt: "2026-01-05T09:03:00.000Z",
    });
  });

  it("keeps the placed total and address", () => {
    givenEvents(orderViewProjection, ...recordEvents(placedOrder)).thenDocument("o-1", {
      status: "placed",
      total: 148_960,
      deliveryAddress: addressFromLine("Storgata 1, Oslo" as Text),
      placedAt: "2026-01-05T09:03:00.000Z",
    });
  });

  it("follows the order to the customer's door, telling the story of both streams in log order", () => {
    givenEvents(
      orderViewProjection,
      ...recordEvents([
        ...assembledOrder,
        d1.requested(),
        d1.courierAssigned("courier-ivan"),
        o1.handedToCourier("courier-ivan", sofa, chairs),
        d1.pickedUp("courier-ivan"),
        d1.completed("courier-ivan"),
      ]),
    ).thenDocument("o-1", {
      status: "delivered",
      courierId: "courier-ivan",
      assembledAt: "2026-01-05T09:05:00.000Z",
      updatedAt: "2026-01-05T09:10:00.000Z",
      timeline: [
        entry("09:00", "OrderCreated", "Order created", "Order-o-1", 0),
        entry("09:01", "OrderItemAdded", "Added 1 × SOFA-OSLO-3 at 1290.00", "Order-o-1", 1),
        entry("09:02", "OrderItemAdded", "Added 4 × CHAIR-LUND at 49.90", "Order-o-1", 2),
        entry("09:03", "OrderPlaced", "Order placed, total 1489.60", "Order-o-1", 3),
        entry("09:04", "OrderProcessingStarted", "Warehouse started processing", "Order-o-1", 4),
        entry("09:05", "OrderAssembled", "Order assembled and ready for delivery", "Order-o-1", 5),
        entry(
          "09:06",
          "DeliveryRequested",
          "Delivery requested, awaiting a courier",
          "Delivery-o-1",
          0,
        ),
        entry("09:07", "CourierAssigned", "Courier courier-ivan assigned", "Delivery-o-1", 1),
        entry("09:08", "OrderHandedToCourier", "Handed to courier courier-ivan", "Order-o-1", 6),
        entry("09:09", "DeliveryPickedUp", "Picked up by courier courier-ivan", "Delivery-o-1", 2),
        entry("09:10", "DeliveryCompleted", "Delivered", "Delivery-o-1", 3),
      ],
    });
  });

  it.each<[string, ReadonlyArray<EventInput>, SiteStatus]>([
    ["a requested delivery awaits a courier", [d1.requested()], "awaiting_courier"],
    [
      "an assigned courier shows",
      [d1.requested(), d1.courierAssigned("courier-olga")],
      "courier_assigned",
    ],
    [
      "a handover puts it out for delivery before the pickup is recorded",
      [d1.requested(), o1.handedToCourier("courier-olga", sofa, chairs)],
      "out_for_delivery",
    ],
    [
      "a pickup that assigns its courier on the way does not step back",
      [
        d1.requested(),
        o1.handedToCourier("courier-olga", sofa, chairs),
        d1.courierAssigned("courier-olga"),
        d1.pickedUp("courier-olga"),
      ],
      "out_for_delivery",
    ],
    [
      "a failed delivery says so",
      [
        d1.requested(),
        o1.handedToCourier("courier-olga"),
        d1.pickedUp("courier-olga"),
        d1.failed("courier-olga", "Nobody at home"),
      ],
      "delivery_failed",
    ],
    [
      "a cancellation is final, even if a courier is assigned afterwards",
      [
        d1.requested(),
        o1.cancelled("Payment declined", sofa, chairs),
        d1.courierAssigned("courier-olga"),
      ],
      "cancelled",
    ],
    [
      "a cancelled order stays cancelled when its delivery is cancelled",
      [
        d1.requested(),
        d1.courierAssigned("courier-olga"),
        o1.cancelled("Payment declined", sofa, chairs),
        d1.cancelled("Payment declined"),
      ],
      "cancelled",
    ],
    [
      "a failed delivery rescheduled awaits a courier again, the one step back",
      [
        d1.requested(),
        d1.courierAssigned("courier-olga"),
        d1.failed("courier-olga", "Nobody at home"),
        d1.rescheduled(),
      ],
      "awaiting_courier",
    ],
    [
      "a rescheduled delivery goes forward again from there",
      [
        d1.requested(),
        o1.handedToCourier("courier-olga"),
        d1.pickedUp("courier-olga"),
        d1.failed("courier-olga", "Nobody at home"),
        d1.rescheduled(),
        d1.courierAssigned("courier-ivan"),
      ],
      "courier_assigned",
    ],
    [
      "rescheduling a cancelled order's failed delivery does not bring the order back",
      [
        d1.requested(),
        d1.courierAssigned("courier-olga"),
        d1.failed("courier-olga", "Nobody at home"),
        o1.cancelled("Payment declined", sofa, chairs),
        d1.rescheduled(),
      ],
      "cancelled",
    ],
    [
      "a delivery cancelled by hand and re-requested awaits a courier again",
      [
        d1.requested(),
        d1.courierAssigned("courier-olga"),
        d1.cancelled("Customer away"),
        d1.rerequested(),
      ],
      "awaiting_courier",
    ],
    [
      "a failed delivery after the handover, re-requested, goes out again",
      [
        d1.requested(),
        o1.handedToCourier("courier-olga"),
        d1.pickedUp("courier-olga"),
        d1.failed("courier-olga", "Nobody at home"),
        d1.rerequested(),
        d1.courierAssigned("courier-ivan"),
        d1.pickedUp("courier-ivan"),
      ],
      "out_for_delivery",
    ],
    [
      "a re-request does not bring a cancelled order back",
      [
        d1.requested(),
        o1.cancelled("Payment declined", sofa, chairs),
        d1.cancelled("Payment declined"),
        d1.rerequested(),
      ],
      "cancelled",
    ],
  ])("after assembly, %s", (_, then, status) => {
    givenEvents(orderViewProjection, ...recordEvents([...assembledOrder, ...then])).thenDocument(
      "o-1",
      { status },
    );
  });

  /** The view of the assembled order after these events. */
  const afterAssembly = (...then: ReadonlyArray<EventInput>) =>
    givenEvents(orderViewProjection, ...recordEvents([...assembledOrder, ...then])).docs.get("o-1");

  it("given a courier assigned with a window, shows the customer the window, until the attempt fails", () => {
    const window = { from: "2026-01-06T07:00:00.000Z", to: "2026-01-06T11:00:00.000Z" };
    const assigned = [
      ...assembledOrder,
      d1.requested(),
      d1.courierAssigned("courier-ivan", window),
    ];
    givenEvents(orderViewProjection, ...recordEvents(assigned)).thenDocument("o-1", {
      status: "courier_assigned",
      courierId: "courier-ivan",
      deliveryWindow: window,
    });
    givenEvents(
      orderViewProjection,
      ...recordEvents([...assigned, d1.failed("courier-ivan", "Nobody at home")]),
    ).thenDocument("o-1", { deliveryWindow: null });
  });

  it("given an assignment from before windows existed (v1), shows the window as unknown", () => {
    givenEvents(
      orderViewProjection,
      ...recordEvents([
        ...assembledOrder,
        d1.requested(),
        {
          ...d1.courierAssigned("courier-ivan"),
          data: { orderId: "o-1", courierId: "courier-ivan" },
          version: 1,
        },
      ]),
    ).thenDocument("o-1", { courierId: "courier-ivan", deliveryWindow: null });
  });

  it("tells a rescheduled delivery in the timeline, and forgets the courier who failed it", () => {
    const view = afterAssembly(
      d1.requested(),
      d1.courierAssigned("courier-olga"),
      d1.failed("courier-olga", "Nobody at home"),
      d1.rescheduled(),
    );
    expect(view?.courierId).toBeNull();
    expect(view?.timeline.slice(-2)).toEqual([
      entry("09:08", "DeliveryFailed", "Delivery failed: Nobody at home", "Delivery-o-1", 2),
      entry(
        "09:09",
        "DeliveryRescheduled",
        "Delivery rescheduled, awaiting a courier",
        "Delivery-o-1",
        3,
      ),
    ]);
  });

  it("tells a cancelled delivery in the timeline, after the order's cancellation", () => {
    const view = afterAssembly(
      d1.requested(),
      d1.courierAssigned("courier-olga"),
      o1.cancelled("Payment declined", sofa, chairs),
      d1.cancelled("Payment declined"),
    );
    expect(view?.timeline.slice(-2)).toEqual([
      entry("09:08", "OrderCancelled", "Order cancelled: Payment declined", "Order-o-1", 6),
      entry(
        "09:09",
        "DeliveryCancelled",
        "Delivery cancelled: Payment declined",
        "Delivery-o-1",
        2,
      ),
    ]);
  });

  it("takes a delivery event that overtakes the order's creation, and learns the customer later", () => {
    givenEvents(
      orderViewProjection,
      ...recordEvents([d1.requested(), o1.created("cust-bo")]),
    ).thenDocument("o-1", {
      customerId: "cust-bo",
      status: "awaiting_courier",
      createdAt: "2026-01-05T09:00:00.000Z",
    });
  });

  it("leaves a fenced line out of the timeline: it never was on the order", () => {
    const outcome = givenEvents(
      orderViewProjection,
      ...recordEvents([o1.created("cust-anna"), o1.lineAbandoned("l-9")]),
    );
    expect(outcome.docs.get("o-1")?.timeline.map((e) => e.type)).toEqual(["OrderCreated"]);
  });

  it("changes once for an event delivered twice", () => {
    const [created, added] = recordEvents([
      o1.created("cust-anna"),
      o1.itemAdded("l-1", "SOFA-OSLO-3", 1, 129_000),
    ]);
    if (created === undefined || added === undefined) throw new Error("fixture");
    const once = givenEvents(orderViewProjection, created, added).docs;
    givenEvents(orderViewProjection, created, added, created, added).thenDocument("o-1", {
      ...(once.get("o-1") as OrderView),
    });
  });

  it("ignores stock events", () => {
    givenEvents(
      orderViewProjection,
      ...recordEvents([stock("SOFA-OSLO-3").reserved("o-1", "l-1", 1)]),
    ).thenDocuments({});
  });

  it("lists a customer's orders newest first, and the orders in a status oldest first", () => {
    givenEvents(
      orderViewProjection,
      ...recordEvents([
        o1.created("cust-anna"),
        order("o-2").created("cust-bo"),
        order("o-3").created("cust-anna"),
        order("o-3").itemAdded("l-3", "BED-MOLDE-160", 1, 99_000),
        order("o-3").placed("Storgata 1, Oslo", 99_000),
      ]),
    )
      .thenQuery(
        (docs) => ordersOfCustomer(docs, "cust-anna").map((o) => o.orderId),
        ["o-3", "o-1"],
      )
      .thenQuery((docs) => ordersWithStatus(docs, "draft").map((o) => o.orderId), ["o-1", "o-2"]);
  });

  it("agrees with the Order aggregate on customer, lines and status, over any history", () => {
    const agrees: Record<string, ReadonlyArray<SiteStatus>> = {
      draft: ["draft"],
      placed: ["placed"],
      processing: ["processing"],
      // A courier may give up on a delivery before picking it up.
      assembled: ["assembled", "awaiting_courier", "courier_assigned", "delivery_failed"],
      // A failed delivery rescheduled awaits a courier again, after the handover too.
      handed_to_courier: [
        "out_for_delivery",
        "delivered",
        "delivery_failed",
        "awaiting_courier",
        "courier_assigned",
      ],
      cancelled: ["cancelled"],
    };
    fc.assert(
      fc.property(histories(), ({ events }) => {
        const views = replay(orderViewProjection, events);
        const disagreements = [...foldStreams(events, "Order", orderDecider)].flatMap(
          ([orderId, order]) => {
            const view = views.get(orderId);
            if (order.status === "none") return [];
            const lines = Object.fromEntries(
              view?.lines.map(({ lineId, ...l }) => [lineId, l]) ?? [],
            );
            const agreeing =
              view !== undefined &&
              view.customerId === order.customerId &&
              canonicalJson(lines) === canonicalJson(order.lines) &&
              agrees[order.status]?.includes(view.status);
            return agreeing ? [] : [{ orderId, order, view }];
          },
        );
        expect(disagreements).toEqual([]);
      }),
      propertyRuns,
    );
  });
});

const entry = (time: string, type: string, summary: string, stream: string, revision: number) => ({
  occurredAt: `2026-01-05T${time}:00.000Z`,
  type,
  summary,
  stream,
  revision: String(revision),
});

projectionLaws(orderViewProjection);
