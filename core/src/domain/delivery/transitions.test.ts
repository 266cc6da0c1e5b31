import { describe, it } from "vitest";
import type { CourierId, OrderId, Text } from "../../shared/codecs.js";
import { coversEverything, transitionTests } from "../../test-support/transition-cases.js";
import { DeliveryCommand } from "./commands.js";
import { deliveryDecider, deliveryStatuses, deliveryTransitions } from "./delivery.js";
import type { DeliveryEvent } from "./events.js";

const orderId = "o-1" as OrderId;
const anna = "anna" as CourierId;
const boris = "boris" as CourierId;
const reason = "nobody home" as Text;

const requested: DeliveryEvent = { type: "DeliveryRequested", data: { orderId } };
const assigned: DeliveryEvent = {
  type: "CourierAssigned",
  data: { orderId, courierId: anna, window: null },
};
const pickedUp: DeliveryEvent = { type: "DeliveryPickedUp", data: { orderId, courierId: anna } };

describe("Delivery transitions", () => {
  it("has a cell for every state by every command", () => {
    coversEverything(
      deliveryTransitions,
      ["none", ...deliveryStatuses],
      DeliveryCommand.types.map((c) =>
        "props" in c ? c.props.type.value : c.types[0].props.type.value,
      ),
    );
  });

  transitionTests(deliveryDecider, deliveryTransitions, {
    histories: {
      none: [],
      awaiting_courier: [requested],
      assigned: [requested, assigned],
      picked_up: [requested, assigned, pickedUp],
      completed: [
        requested,
        assigned,
        pickedUp,
        { type: "DeliveryCompleted", data: { orderId, courierId: anna } },
      ],
      failed: [
        requested,
        assigned,
        pickedUp,
        { type: "DeliveryFailed", data: { orderId, courierId: anna, reason } },
      ],
      cancelled: [requested, { type: "DeliveryCancelled", data: { orderId, reason } }],
    },
    // Boris: never the courier of a history, so a courier's command always asks for a change.
    commands: [
      { type: "RequestDelivery", orderId },
      { type: "AssignCourier", orderId, courierId: boris },
      { type: "ReassignCourier", orderId, courierId: boris },
      { type: "PickUpDelivery", orderId, courierId: boris },
      { type: "CompleteDelivery", orderId },
      { type: "FailDelivery", orderId, reason },
      { type: "RescheduleDelivery", orderId },
      { type: "RerequestDelivery", orderId },
      { type: "CancelDelivery", orderId, reason },
    ],
    repeats: {
      AssignCourier: { type: "AssignCourier", orderId, courierId: anna },
      ReassignCourier: { type: "ReassignCourier", orderId, courierId: anna },
      PickUpDelivery: { type: "PickUpDelivery", orderId, courierId: anna },
    },
    emits: {
      RequestDelivery: ["DeliveryRequested"],
      AssignCourier: ["CourierAssigned"],
      ReassignCourier: ["CourierAssigned"],
      // Whoever takes the goods is assigned on the way.
      PickUpDelivery: ["CourierAssigned", "DeliveryPickedUp"],
      CompleteDelivery: ["DeliveryCompleted"],
      FailDelivery: ["DeliveryFailed"],
      RescheduleDelivery: ["DeliveryRescheduled"],
      RerequestDelivery: ["DeliveryRerequested"],
      CancelDelivery: ["DeliveryCancelled"],
    },
    statusOf: (state) => state.status,
  });
});
