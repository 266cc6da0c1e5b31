import { describe, it } from "vitest";
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
  data: { orderId, courierId },
});
const pickedUp: DeliveryEvent = { type: "DeliveryPickedUp", data: { orderId, courierId: anna } };
const completed: DeliveryEvent = { type: "DeliveryCompleted", data: { orderId, courierId: anna } };
const failed: DeliveryEvent = {
  type: "DeliveryFailed",
  data: { orderId, courierId: anna, reason },
};

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
});
