import { backOfficeProjections, decodeBatch, readViews, replay } from "@mebel/core";
import { describe, expect, it } from "vitest";
import { runJourney } from "./journey.js";

describe("the demo journey", () => {
  it("carries one order from stock to the customer's door, and the site sees every step", async () => {
    const lines: string[] = [];
    const { view, notifications, availability, board, store, readModels } = await runJourney((l) =>
      lines.push(l),
    );

    expect(view?.status).toBe("delivered");
    expect(view?.total).toBe(89_900 + 2 * 15_900);
    expect(view?.timeline.map((e) => e.type)).toEqual([
      "OrderCreated",
      "OrderItemAdded",
      "OrderItemAdded",
      "OrderPlaced",
      "OrderProcessingStarted",
      "OrderAssembled",
      "DeliveryRequested",
      "CourierAssigned",
      "OrderHandedToCourier",
      "DeliveryPickedUp",
      "DeliveryCompleted",
    ]);
    expect(notifications.map((n) => n.kind)).toContain("delivered");
    expect(availability.get("SOFA-OSLO-3")).toMatchObject({ onHand: 3, reserved: 0, available: 3 });
    expect(availability.get("LAMP-ARC")).toMatchObject({ onHand: 23, reserved: 0, available: 23 });
    expect([...board.values()].map((d) => d.status)).toEqual(["completed"]);
    expect(lines.join("\n")).toContain("DeliveryCompleted");

    // What the runners built incrementally is what a replay from zero builds.
    const events = decodeBatch(store.all());
    for (const projection of backOfficeProjections) {
      const live = await readViews(projection, readModels).all();
      expect(live, projection.name).toEqual(replay(projection, events));
    }
  });
});
