import { describe, it } from "vitest";
import type { ReleaseReason } from "../domain/stock-item/events.js";
import { order, stock } from "../test-support/events.js";
import { givenProcess } from "../test-support/process.js";
import { releaseReservations } from "./release-reservations.js";

const o1 = order("o-1");
const sofa = { lineId: "l-1", sku: "SOFA-OSLO-3", quantity: 1 };
const chairs = { lineId: "l-2", sku: "CHAIR-LUND", quantity: 4 };

const release = (sku: string, lineId: string, reason: ReleaseReason) => ({
  aggregate: "StockItem" as const,
  command: { type: "ReleaseReservation" as const, sku, orderId: "o-1", lineId, reason },
});

describe("release reservations", () => {
  it("releases every line of a cancelled order", () => {
    givenProcess(releaseReservations, o1.placed("Storgata 1, Oslo", 100))
      .when(o1.cancelled("Payment declined", sofa, chairs))
      .thenCommands(
        release("SOFA-OSLO-3", "l-1", "order_cancelled"),
        release("CHAIR-LUND", "l-2", "order_cancelled"),
      );
  });

  it("releases a removed line", () => {
    givenProcess(releaseReservations, o1.itemAdded("l-2", "CHAIR-LUND", 4, 4_990))
      .when(o1.itemRemoved("l-2", "CHAIR-LUND", 4))
      .thenCommands(release("CHAIR-LUND", "l-2", "item_removed"));
  });

  it("has nothing to release for an empty cancelled order, or for stock events", () => {
    givenProcess(releaseReservations)
      .when(
        o1.cancelled("Payment declined"),
        stock("SOFA-OSLO-3").released("o-1", "l-1", 1, "abandoned"),
      )
      .thenCommands();
  });
});
