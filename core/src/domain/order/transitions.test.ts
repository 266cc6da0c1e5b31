import { describe, it } from "vitest";
import type { CourierId, CustomerId, LineId, MinorUnits, Quantity } from "../../shared/codecs.js";
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
import { coversEverything, transitionTests } from "../../test-support/transition-cases.js";
import { OrderCommand } from "./commands.js";
import type { OrderEvent } from "./events.js";
import { orderDecider, orderStatuses, orderTransitions } from "./order.js";

const l1 = sofaLine.lineId;
const added = itemAdded("l1");
const cancelled: OrderEvent = {
  type: "OrderCancelled",
  data: { orderId, reason, lines: [sofaLine] },
};
const addItem = (lineId: string) =>
  ({
    type: "AddItem",
    orderId,
    lineId: lineId as LineId,
    sku: sofa,
    quantity: 1 as Quantity,
    unitPrice: 49_900 as MinorUnits,
  }) as const;

describe("Order transitions", () => {
  it("has a cell for every state by every command", () => {
    coversEverything(
      orderTransitions,
      ["none", ...orderStatuses],
      OrderCommand.types.map((c) => c.props.type.value),
    );
  });

  transitionTests(orderDecider, orderTransitions, {
    histories: {
      none: [],
      draft: [created, added],
      placed: [created, added, placed],
      processing: [created, added, placed, processingStarted],
      assembled: [created, added, placed, processingStarted, assembled],
      handed_to_courier: [created, added, placed, processingStarted, assembled, handedToCourier],
      cancelled: [created, added, cancelled],
    },
    // Each asks for something no history did: another customer, a new line, another courier.
    commands: [
      { type: "CreateOrder", orderId, customerId: "c-2" as CustomerId },
      addItem("l2"),
      { type: "RemoveItem", orderId, lineId: l1 },
      { type: "AbandonLine", orderId, lineId: "l9" as LineId },
      { type: "PlaceOrder", orderId, deliveryAddress: address },
      { type: "StartProcessing", orderId },
      { type: "MarkAssembled", orderId },
      { type: "HandToCourier", orderId, courierId: "boris" as CourierId },
      { type: "CancelOrder", orderId, reason },
    ],
    repeats: {
      CreateOrder: { type: "CreateOrder", orderId, customerId },
      AddItem: addItem("l1"),
      HandToCourier: { type: "HandToCourier", orderId, courierId: anna },
    },
    emits: {
      CreateOrder: ["OrderCreated"],
      AddItem: ["OrderItemAdded"],
      RemoveItem: ["OrderItemRemoved"],
      AbandonLine: ["OrderLineAbandoned"],
      PlaceOrder: ["OrderPlaced"],
      StartProcessing: ["OrderProcessingStarted"],
      MarkAssembled: ["OrderAssembled"],
      HandToCourier: ["OrderHandedToCourier"],
      CancelOrder: ["OrderCancelled"],
    },
    statusOf: (state) => state.status,
  });
});
