import { describe, it } from "vitest";
import { order } from "../test-support/events.js";
import { givenProcess } from "../test-support/process.js";
import { handover } from "./handover.js";

const o1 = order("o-1");
const sofa = { lineId: "l-1", sku: "SOFA-OSLO-3", quantity: 1 };
const chairs = { lineId: "l-2", sku: "CHAIR-LUND", quantity: 4 };

describe("handover", () => {
  it("dispatches every line the courier took and records the pickup, making sure the delivery exists", () => {
    givenProcess(handover, o1.assembled())
      .when(o1.handedToCourier("courier-ivan", sofa, chairs))
      .thenCommands(
        {
          aggregate: "StockItem",
          command: {
            type: "DispatchReservation",
            sku: "SOFA-OSLO-3",
            orderId: "o-1",
            lineId: "l-1",
          },
        },
        {
          aggregate: "StockItem",
          command: {
            type: "DispatchReservation",
            sku: "CHAIR-LUND",
            orderId: "o-1",
            lineId: "l-2",
          },
        },
        { aggregate: "Delivery", command: { type: "RequestDelivery", orderId: "o-1" } },
        {
          aggregate: "Delivery",
          command: { type: "PickUpDelivery", orderId: "o-1", courierId: "courier-ivan" },
        },
      );
  });

  it("does nothing before the handover", () => {
    givenProcess(handover).when(o1.created("cust-anna"), o1.assembled()).thenCommands();
  });
});
