import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CourierId, IsoInstant, OrderId, Text } from "../../shared/codecs.js";
import { propertyRuns } from "../../test-support/projection-laws.js";
import { given } from "../../testing/decider.js";
import { deliveryDecider as decider } from "./delivery.js";
import type { DeliveryWindow } from "./delivery-window.js";
import type { DeliveryEvent } from "./events.js";

const orderId = "o-1" as OrderId;
const anna = "anna" as CourierId;
const boris = "boris" as CourierId;
const reason = "nobody home" as Text;

const requested: DeliveryEvent = { type: "DeliveryRequested", data: { orderId } };
const assigned = (courierId: CourierId): DeliveryEvent => ({
  type: "CourierAssigned",
  data: { orderId, courierId, window: null },
});
const pickedUp: DeliveryEvent = { type: "DeliveryPickedUp", data: { orderId, courierId: anna } };
const completed: DeliveryEvent = { type: "DeliveryCompleted", data: { orderId, courierId: anna } };
const failed: DeliveryEvent = {
  type: "DeliveryFailed",
  data: { orderId, courierId: anna, reason },
};
const rescheduled: DeliveryEvent = { type: "DeliveryRescheduled", data: { orderId } };
const changedMind = "Customer changed their mind" as Text;
const cancelled: DeliveryEvent = {
  type: "DeliveryCancelled",
  data: { orderId, reason: changedMind },
};
const cancel = { type: "CancelDelivery", orderId, reason: changedMind } as const;
const reschedule = { type: "RescheduleDelivery", orderId } as const;

const now = "2026-12-07T09:00:00.000Z" as IsoInstant;
const slot = (from: string, to: string): DeliveryWindow => ({
  from: from as IsoInstant,
  to: to as IsoInstant,
});
const tuesdayMorning = slot("2026-12-08T07:00:00.000Z", "2026-12-08T11:00:00.000Z");
const tuesdayAfternoon = slot("2026-12-08T11:00:00.000Z", "2026-12-08T15:00:00.000Z");
const assignedIn = (courierId: CourierId, window: DeliveryWindow): DeliveryEvent => ({
  type: "CourierAssigned",
  data: { orderId, courierId, window },
});

describe("Delivery windows", () => {
  it("given a waiting delivery, when a courier is assigned with a window, the delivery holds it", () => {
    const state = given(decider, requested)
      .when({ type: "AssignCourier", orderId, courierId: anna, window: tuesdayMorning, at: now })
      .thenEvents(assignedIn(anna, tuesdayMorning));
    expect(state).toMatchObject({ status: "assigned", window: tuesdayMorning });
  });

  it("given an assigned delivery, the manager's AssignCourier again is a no-op whatever its window", () => {
    given(decider, requested, assignedIn(anna, tuesdayMorning))
      .when({ type: "AssignCourier", orderId, courierId: anna, window: tuesdayAfternoon, at: now })
      .thenEvents();
  });

  it("given an assigned delivery, a dispatcher's reassign with a window moves it to that courier and slot", () => {
    given(decider, requested, assignedIn(anna, tuesdayMorning))
      .when({
        type: "ReassignCourier",
        orderId,
        courierId: boris,
        window: tuesdayAfternoon,
        at: now,
      })
      .thenEvents(assignedIn(boris, tuesdayAfternoon));
  });

  it("given an assigned delivery, reassigning its own courier to another window moves the slot only", () => {
    given(decider, requested, assignedIn(anna, tuesdayMorning))
      .when({
        type: "ReassignCourier",
        orderId,
        courierId: anna,
        window: tuesdayAfternoon,
        at: now,
      })
      .thenEvents(assignedIn(anna, tuesdayAfternoon));
    given(decider, requested, assignedIn(anna, tuesdayMorning))
      .when({ type: "ReassignCourier", orderId, courierId: anna, window: tuesdayMorning, at: now })
      .thenEvents();
  });

  it("given an assigned delivery, reassigning its own courier without a window keeps the slot: nothing happens", () => {
    given(decider, requested, assignedIn(anna, tuesdayMorning))
      .when({ type: "ReassignCourier", orderId, courierId: anna, at: now })
      .thenEvents();
  });

  it("given an assignment without a window, the window is explicitly unknown", () => {
    given(decider, requested, assignedIn(anna, tuesdayMorning))
      .when({ type: "ReassignCourier", orderId, courierId: boris })
      .thenEvents(assigned(boris));
  });

  it.each([
    [
      "ends before it starts",
      slot("2026-12-08T11:00:00.000Z", "2026-12-08T07:00:00.000Z"),
      "ends_before_it_starts",
    ],
    [
      "is empty",
      slot("2026-12-08T07:00:00.000Z", "2026-12-08T07:00:00.000Z"),
      "ends_before_it_starts",
    ],
    [
      "has already begun",
      slot("2026-12-07T08:00:00.000Z", "2026-12-07T12:00:00.000Z"),
      "in_the_past",
    ],
  ])("refuses a window that %s, with a coded error and no event", (_, window, fault) => {
    given(decider, requested, assignedIn(anna, tuesdayMorning))
      .when({ type: "ReassignCourier", orderId, courierId: boris, window, at: now })
      .thenRejects("DELIVERY_WINDOW_INVALID");
    const decided = decider.decide(
      { type: "AssignCourier", orderId, courierId: anna, window, at: now },
      given(decider, requested).state(),
    );
    expect(decided).toMatchObject({
      left: { code: "DELIVERY_WINDOW_INVALID", details: { fault } },
    });
  });

  it("never promises a window that ends before it starts or has begun, whatever is asked", () => {
    const instant = fc
      .integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2027-01-01T00:00:00Z") })
      .map((ms) => new Date(ms).toISOString() as IsoInstant);
    fc.assert(
      fc.property(instant, instant, instant, (from, to, at) => {
        const decided = decider.decide(
          { type: "ReassignCourier", orderId, courierId: boris, window: { from, to }, at },
          given(decider, requested, assignedIn(anna, tuesdayMorning)).state(),
        );
        const kept = from < to && from >= at;
        expect(decided._tag === "Right").toBe(kept);
        if (decided._tag === "Left") expect(decided.left.code).toBe("DELIVERY_WINDOW_INVALID");
      }),
      propertyRuns,
    );
  });

  it("keeps the window through pick-up and failure, and forgets it when tried again", () => {
    const fail = { type: "DeliveryFailed", data: { orderId, courierId: anna, reason } } as const;
    expect(
      given(decider, requested, assignedIn(anna, tuesdayMorning), pickedUp).state(),
    ).toMatchObject({
      window: tuesdayMorning,
    });
    expect(given(decider, requested, assignedIn(anna, tuesdayMorning), fail).state()).toMatchObject(
      {
        window: tuesdayMorning,
      },
    );
    expect(
      given(decider, requested, assignedIn(anna, tuesdayMorning), fail, rescheduled).state(),
    ).toMatchObject({ window: null });
  });

  it("given a waiting delivery picked up by a courier nobody assigned, assigns them with no window known", () => {
    given(decider, requested, assignedIn(anna, tuesdayMorning))
      .when({ type: "PickUpDelivery", orderId, courierId: boris })
      .thenEvents(assignedIn(boris, tuesdayMorning), {
        type: "DeliveryPickedUp",
        data: { orderId, courierId: boris },
      });
  });
});

describe("Delivery", () => {
  it("is requested once per order: a duplicated trigger does nothing", () => {
    given(decider).when({ type: "RequestDelivery", orderId }).thenEvents(requested);
    given(decider, requested).when({ type: "RequestDelivery", orderId }).thenEvents();
  });

  it("assigns a courier to a waiting delivery, idempotently", () => {
    given(decider, requested)
      .when({ type: "AssignCourier", orderId, courierId: anna })
      .thenEvents(assigned(anna));
    given(decider, requested, assigned(anna))
      .when({ type: "AssignCourier", orderId, courierId: anna })
      .thenEvents();
  });

  it("refuses to take a delivery from the courier who has it", () => {
    given(decider, requested, assigned(anna))
      .when({ type: "AssignCourier", orderId, courierId: boris })
      .thenRejects("DELIVERY_ALREADY_ASSIGNED");
  });

  it("refuses commands for a delivery never requested", () => {
    given(decider)
      .when({ type: "AssignCourier", orderId, courierId: anna })
      .thenRejects("DELIVERY_NOT_FOUND");
    given(decider).when({ type: "CompleteDelivery", orderId }).thenRejects("DELIVERY_NOT_FOUND");
  });

  it("refuses to assign a finished delivery", () => {
    given(decider, requested, assigned(anna), pickedUp, completed)
      .when({ type: "AssignCourier", orderId, courierId: boris })
      .thenRejects("INVALID_STATUS_TRANSITION");
  });

  it("is picked up by its courier", () => {
    given(decider, requested, assigned(anna))
      .when({ type: "PickUpDelivery", orderId, courierId: anna })
      .thenEvents(pickedUp);
    given(decider, requested, assigned(anna), pickedUp)
      .when({ type: "PickUpDelivery", orderId, courierId: anna })
      .thenEvents();
  });

  it("assigns whoever picks up a delivery nobody was assigned to", () => {
    given(decider, requested)
      .when({ type: "PickUpDelivery", orderId, courierId: anna })
      .thenEvents(assigned(anna), pickedUp);
  });

  it("follows the goods: a pick-up by another courier than the one assigned reassigns it", () => {
    given(decider, requested, assigned(anna))
      .when({ type: "PickUpDelivery", orderId, courierId: boris })
      .thenEvents(assigned(boris), {
        type: "DeliveryPickedUp",
        data: { orderId, courierId: boris },
      });
  });

  it("refuses a pick-up of a finished delivery", () => {
    given(decider, requested, assigned(anna), pickedUp, completed)
      .when({ type: "PickUpDelivery", orderId, courierId: anna })
      .thenRejects("INVALID_STATUS_TRANSITION");
  });

  it("completes after pick-up, once", () => {
    given(decider, requested, assigned(anna), pickedUp)
      .when({ type: "CompleteDelivery", orderId })
      .thenEvents(completed);
    given(decider, requested, assigned(anna), pickedUp, completed)
      .when({ type: "CompleteDelivery", orderId })
      .thenEvents();
  });

  it("refuses to complete what was never picked up", () => {
    given(decider, requested, assigned(anna))
      .when({ type: "CompleteDelivery", orderId })
      .thenRejects("INVALID_STATUS_TRANSITION");
  });

  it("fails while with a courier, once", () => {
    given(decider, requested, assigned(anna), pickedUp)
      .when({ type: "FailDelivery", orderId, reason })
      .thenEvents(failed);
    given(decider, requested, assigned(anna), failed)
      .when({ type: "FailDelivery", orderId, reason })
      .thenEvents();
  });

  it("refuses to fail a delivery with no courier, or one already delivered", () => {
    given(decider, requested)
      .when({ type: "FailDelivery", orderId, reason })
      .thenRejects("DELIVERY_NOT_ASSIGNED");
    given(decider, requested, assigned(anna), pickedUp, completed)
      .when({ type: "FailDelivery", orderId, reason })
      .thenRejects("INVALID_STATUS_TRANSITION");
  });

  describe("cancelled", () => {
    it("is cancelled while it waits for a courier, or while its courier has not taken it", () => {
      given(decider, requested).when(cancel).thenEvents(cancelled);
      given(decider, requested, assigned(anna)).when(cancel).thenEvents(cancelled);
    });

    it("is cancelled after it failed, so it is never tried again", () => {
      given(decider, requested, assigned(anna), failed).when(cancel).thenEvents(cancelled);
    });

    it("is cancelled once: cancelling again, or a delivery never requested, does nothing", () => {
      given(decider, requested, cancelled).when(cancel).thenEvents();
      given(decider).when(cancel).thenEvents();
    });

    it("cannot be cancelled once the goods left with the courier, or arrived", () => {
      given(decider, requested, assigned(anna), pickedUp)
        .when(cancel)
        .thenRejects("INVALID_STATUS_TRANSITION");
      given(decider, requested, assigned(anna), pickedUp, completed)
        .when(cancel)
        .thenRejects("INVALID_STATUS_TRANSITION");
    });

    it("stays cancelled: a later request is a no-op, and nobody can take it", () => {
      given(decider, requested, cancelled).when({ type: "RequestDelivery", orderId }).thenEvents();
      given(decider, requested, cancelled)
        .when({ type: "AssignCourier", orderId, courierId: anna })
        .thenRejects("INVALID_STATUS_TRANSITION");
      given(decider, requested, assigned(anna), cancelled)
        .when({ type: "PickUpDelivery", orderId, courierId: anna })
        .thenRejects("INVALID_STATUS_TRANSITION");
      given(decider, requested, assigned(anna), cancelled)
        .when({ type: "FailDelivery", orderId, reason })
        .thenRejects("INVALID_STATUS_TRANSITION");
      given(decider, requested, assigned(anna), failed, cancelled)
        .when(reschedule)
        .thenRejects("INVALID_STATUS_TRANSITION");
    });

    it("keeps on record the courier it had, who no longer carries it", () => {
      expect(given(decider, requested, assigned(anna), cancelled).state()).toEqual({
        status: "cancelled",
        orderId,
        courierId: anna,
        window: null,
      });
    });
  });

  describe("rescheduled", () => {
    it("goes back to the list awaiting a courier after it failed, with no courier", () => {
      const state = given(decider, requested, assigned(anna), pickedUp, failed)
        .when(reschedule)
        .thenEvents(rescheduled);
      expect(state).toEqual({
        status: "awaiting_courier",
        orderId,
        courierId: null,
        window: null,
      });
    });

    it("does nothing when it already awaits a courier", () => {
      given(decider, requested, assigned(anna), failed, rescheduled).when(reschedule).thenEvents();
      given(decider, requested).when(reschedule).thenEvents();
    });

    it("is refused for a delivery that has not failed, and one never requested", () => {
      given(decider, requested, assigned(anna))
        .when(reschedule)
        .thenRejects("INVALID_STATUS_TRANSITION");
      given(decider, requested, assigned(anna), pickedUp, completed)
        .when(reschedule)
        .thenRejects("INVALID_STATUS_TRANSITION");
      given(decider).when(reschedule).thenRejects("DELIVERY_NOT_FOUND");
    });

    it("is tried again like a new request: assigned, picked up, delivered", () => {
      given(decider, requested, assigned(anna), failed, rescheduled)
        .when({ type: "AssignCourier", orderId, courierId: boris })
        .thenEvents(assigned(boris));
      given(decider, requested, assigned(anna), failed, rescheduled, assigned(boris))
        .when({ type: "PickUpDelivery", orderId, courierId: boris })
        .thenEvents({ type: "DeliveryPickedUp", data: { orderId, courierId: boris } });
    });

    it("can fail again, and be rescheduled again", () => {
      const again: DeliveryEvent = {
        type: "DeliveryFailed",
        data: { orderId, courierId: boris, reason },
      };
      given(decider, requested, assigned(anna), failed, rescheduled, assigned(boris))
        .when({ type: "FailDelivery", orderId, reason })
        .thenEvents(again);
      given(decider, requested, assigned(anna), failed, rescheduled, assigned(boris), again)
        .when(reschedule)
        .thenEvents(rescheduled);
    });
  });
});
