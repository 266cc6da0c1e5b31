import { describe, it } from "vitest";
import type {
  CourierId,
  CustomerId,
  LineId,
  MinorUnits,
  OrderId,
  Quantity,
  Sku,
  Text,
} from "../../shared/codecs.js";
import { coversEverything, transitionTests } from "../../test-support/transition-cases.js";
import { OrderCommand } from "./commands.js";
import { addressFromLine } from "./delivery-address.js";
import type { OrderEvent } from "./events.js";
import { orderDecider, orderStatuses, orderTransitions } from "./order.js";

const orderId = "o-1" as OrderId;
const customerId = "c-1" as CustomerId;
const sofa = "SOFA-OSLO-3" as Sku;
const anna = "anna" as CourierId;
const reason = "changed my mind" as Text;
const l1 = "l1" as LineId;
const one = 1 as Quantity;
const price = 49_900 as MinorUnits;
const sofaLine = { lineId: l1, sku: sofa, quantity: one };

const created: OrderEvent = { type: "OrderCreated", data: { orderId, customerId } };
const added: OrderEvent = {
  type: "OrderItemAdded",
  data: { orderId, lineId: l1, sku: sofa, quantity: one, unitPrice: price },
};
const placed: OrderEvent = {
  type: "OrderPlaced",
  data: { orderId, deliveryAddress: addressFromLine("Nevsky 1" as Text), total: price },
};
const processing: OrderEvent = { type: "OrderProcessingStarted", data: { orderId } };
const assembled: OrderEvent = { type: "OrderAssembled", data: { orderId } };
const addItem = (lineId: string) =>
  ({
    type: "AddItem",
    orderId,
    lineId: lineId as LineId,
    sku: sofa,
    quantity: one,
    unitPrice: price,
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
      processing: [created, added, placed, processing],
      assembled: [created, added, placed, processing, assembled],
      handed_to_courier: [
        created,
        added,
        placed,
        processing,
        assembled,
        { type: "OrderHandedToCourier", data: { orderId, courierId: anna, lines: [sofaLine] } },
      ],
      cancelled: [
        created,
        added,
        { type: "OrderCancelled", data: { orderId, reason, lines: [sofaLine] } },
      ],
    },
    // Each asks for something no history did: another customer, a new line, another courier.
    commands: [
      { type: "CreateOrder", orderId, customerId: "c-2" as CustomerId },
      addItem("l2"),
      { type: "RemoveItem", orderId, lineId: l1 },
      { type: "AbandonLine", orderId, lineId: "l9" as LineId },
      { type: "PlaceOrder", orderId, deliveryAddress: addressFromLine("Nevsky 1" as Text) },
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
