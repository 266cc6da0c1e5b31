import { describe, expect, it } from "vitest";
import type {
  CourierId,
  CustomerId,
  LineId,
  MinorUnits,
  Quantity,
  Sku,
} from "../../shared/codecs.js";
import {
  address,
  anna,
  assembled,
  created,
  customerId,
  handedToCourier,
  itemAdded,
  orderId,
  placed,
  processingStarted,
  reason,
  sofa,
  sofaLine,
} from "../../test-support/events.js";
import { given } from "../../testing/decider.js";
import type { OrderEvent } from "./events.js";
import { orderDecider as decider, MAX_ORDER_LINES } from "./order.js";

const lamp = "LAMP-ARC" as Sku;
const line = (id: string) => id as LineId;

const addItem = (lineId: string, sku = sofa, quantity = 1, unitPrice = 49_900) =>
  ({
    type: "AddItem",
    orderId,
    lineId: line(lineId),
    sku,
    quantity: quantity as Quantity,
    unitPrice: unitPrice as MinorUnits,
  }) as const;

describe("Order: creation", () => {
  it("is created as a draft for its customer", () => {
    given(decider).when({ type: "CreateOrder", orderId, customerId }).thenEvents(created);
  });

  it("is created once: the same request again does nothing", () => {
    given(decider, created).when({ type: "CreateOrder", orderId, customerId }).thenEvents();
  });

  it("refuses to be created again for someone else", () => {
    given(decider, created)
      .when({ type: "CreateOrder", orderId, customerId: "c-2" as CustomerId })
      .thenRejects("ORDER_ALREADY_EXISTS");
  });

  it("refuses commands before it exists", () => {
    given(decider).when(addItem("l1")).thenRejects("ORDER_NOT_FOUND");
    given(decider)
      .when({ type: "PlaceOrder", orderId, deliveryAddress: address })
      .thenRejects("ORDER_NOT_FOUND");
  });
});

describe("Order: items change only in draft", () => {
  it("adds a line at the price of the moment", () => {
    given(decider, created)
      .when(addItem("l1", lamp, 2, 9_900))
      .thenEvents(itemAdded("l1", lamp, 2, 9_900));
  });

  it("takes ids that name what every object inherits as ids like any other", () => {
    for (const id of ["constructor", "toString", "hasOwnProperty"]) {
      given(decider, created).when(addItem(id)).thenEvents(itemAdded(id));
      given(decider, created, itemAdded(id))
        .when({ type: "RemoveItem", orderId, lineId: line(id) })
        .thenEvents({
          type: "OrderItemRemoved",
          data: { orderId, lineId: line(id), sku: sofa, quantity: 1 as Quantity },
        });
    }
  });

  it("adds a line once, however often asked, even after placing", () => {
    given(decider, created, itemAdded("l1")).when(addItem("l1")).thenEvents();
    given(decider, created, itemAdded("l1"), placed).when(addItem("l1")).thenEvents();
  });

  it("refuses different content under a line id already in use", () => {
    given(decider, created, itemAdded("l1"))
      .when(addItem("l1", sofa, 2))
      .thenRejects("LINE_CONFLICT");
  });

  it("refuses new lines once placed", () => {
    given(decider, created, itemAdded("l1"), placed)
      .when(addItem("l2"))
      .thenRejects("ORDER_NOT_DRAFT");
  });

  it("refuses a line that was abandoned (its stock is being released)", () => {
    const abandoned: OrderEvent = {
      type: "OrderLineAbandoned",
      data: { orderId, lineId: line("l1") },
    };
    given(decider, created, abandoned).when(addItem("l1")).thenRejects("LINE_ABANDONED");
  });

  it("refuses more than the most lines an order holds", () => {
    const full = Array.from({ length: MAX_ORDER_LINES }, (_, i) => itemAdded(`l${i}`));
    given(decider, created, ...full)
      .when(addItem("one-more"))
      .thenRejects("ORDER_TOO_LARGE");
  });

  it("removes a line, naming what it held", () => {
    given(decider, created, itemAdded("l1", lamp, 2))
      .when({ type: "RemoveItem", orderId, lineId: line("l1") })
      .thenEvents({
        type: "OrderItemRemoved",
        data: { orderId, lineId: line("l1"), sku: lamp, quantity: 2 as Quantity },
      });
  });

  it("refuses to remove a line it does not have, or once placed", () => {
    given(decider, created)
      .when({ type: "RemoveItem", orderId, lineId: line("l1") })
      .thenRejects("LINE_NOT_FOUND");
    given(decider, created, itemAdded("l1"), placed)
      .when({ type: "RemoveItem", orderId, lineId: line("l1") })
      .thenRejects("ORDER_NOT_DRAFT");
  });
});

describe("Order: fencing abandoned lines", () => {
  it("fences a line it never received while still a draft", () => {
    given(decider, created)
      .when({ type: "AbandonLine", orderId, lineId: line("l1") })
      .thenEvents({ type: "OrderLineAbandoned", data: { orderId, lineId: line("l1") } });
  });

  it("keeps a line it has: the reservation is that line's", () => {
    given(decider, created, itemAdded("l1"))
      .when({ type: "AbandonLine", orderId, lineId: line("l1") })
      .thenEvents();
  });

  it("needs no fence once the order can no longer gain lines, or does not exist", () => {
    given(decider, created, itemAdded("l1"), placed)
      .when({ type: "AbandonLine", orderId, lineId: line("l2") })
      .thenEvents();
    given(decider)
      .when({ type: "AbandonLine", orderId, lineId: line("l2") })
      .thenEvents();
  });
});

describe("Order: status", () => {
  it("is placed with its total", () => {
    given(decider, created, itemAdded("l1", sofa, 1, 49_900), itemAdded("l2", lamp, 2, 9_900))
      .when({ type: "PlaceOrder", orderId, deliveryAddress: address })
      .thenEvents({
        type: "OrderPlaced",
        data: { orderId, deliveryAddress: address, total: 69_700 as MinorUnits },
      });
  });

  it("refuses to place an empty order", () => {
    given(decider, created)
      .when({ type: "PlaceOrder", orderId, deliveryAddress: address })
      .thenRejects("ORDER_EMPTY");
  });

  it("walks placed, processing, assembled, handed to courier", () => {
    given(decider, created, itemAdded("l1"), placed)
      .when({ type: "StartProcessing", orderId })
      .thenEvents(processingStarted);
    given(decider, created, itemAdded("l1"), placed, processingStarted)
      .when({ type: "MarkAssembled", orderId })
      .thenEvents(assembled);
    given(decider, created, itemAdded("l1"), placed, processingStarted, assembled)
      .when({ type: "HandToCourier", orderId, courierId: anna })
      .thenEvents(handedToCourier);
  });

  it("repeats a step as a no-op", () => {
    given(decider, created, itemAdded("l1"), placed)
      .when({ type: "PlaceOrder", orderId, deliveryAddress: address })
      .thenEvents();
    given(decider, created, itemAdded("l1"), placed, processingStarted)
      .when({ type: "StartProcessing", orderId })
      .thenEvents();
    given(decider, created, itemAdded("l1"), placed, processingStarted, assembled, handedToCourier)
      .when({ type: "HandToCourier", orderId, courierId: anna })
      .thenEvents();
  });

  it("refuses to skip a step", () => {
    given(decider, created, itemAdded("l1"))
      .when({ type: "StartProcessing", orderId })
      .thenRejects("INVALID_STATUS_TRANSITION");
    given(decider, created, itemAdded("l1"), placed)
      .when({ type: "MarkAssembled", orderId })
      .thenRejects("INVALID_STATUS_TRANSITION");
    given(decider, created, itemAdded("l1"), placed, processingStarted)
      .when({ type: "HandToCourier", orderId, courierId: anna })
      .thenRejects("INVALID_STATUS_TRANSITION");
  });

  it("refuses to hand over again to another courier", () => {
    given(decider, created, itemAdded("l1"), placed, processingStarted, assembled, handedToCourier)
      .when({ type: "HandToCourier", orderId, courierId: "boris" as CourierId })
      .thenRejects("INVALID_STATUS_TRANSITION");
  });
});

describe("Order: cancellation", () => {
  const histories: ReadonlyArray<ReadonlyArray<OrderEvent>> = [
    [created, itemAdded("l1")],
    [created, itemAdded("l1"), placed],
    [created, itemAdded("l1"), placed, processingStarted],
    [created, itemAdded("l1"), placed, processingStarted, assembled],
  ];

  it("is possible from any state before handover, naming the lines to release", () => {
    for (const history of histories) {
      given(decider, ...history)
        .when({ type: "CancelOrder", orderId, reason })
        .thenEvents({ type: "OrderCancelled", data: { orderId, reason, lines: [sofaLine] } });
    }
  });

  it("happens once", () => {
    const cancelled: OrderEvent = {
      type: "OrderCancelled",
      data: { orderId, reason, lines: [sofaLine] },
    };
    given(decider, created, itemAdded("l1"), cancelled)
      .when({ type: "CancelOrder", orderId, reason })
      .thenEvents();
  });

  it("is refused once the courier has the order", () => {
    const error = given(
      decider,
      created,
      itemAdded("l1"),
      placed,
      processingStarted,
      assembled,
      handedToCourier,
    )
      .when({ type: "CancelOrder", orderId, reason })
      .thenRejects("INVALID_STATUS_TRANSITION");
    expect(error.details).toMatchObject({ from: "handed_to_courier", to: "cancelled" });
  });
});
