import { describe, expect, it } from "vitest";
import type { CourierId, OrderId, Text } from "../../shared/codecs.js";
import { given } from "../../testing/decider.js";
import { deliveryDecider as decider } from "./delivery.js";
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
      });
    });
  });

  describe("rescheduled", () => {
    it("goes back to the list awaiting a courier after it failed, with no courier", () => {
      const state = given(decider, requested, assigned(anna), pickedUp, failed)
        .when(reschedule)
        .thenEvents(rescheduled);
      expect(state).toEqual({ status: "awaiting_courier", orderId, courierId: null });
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
