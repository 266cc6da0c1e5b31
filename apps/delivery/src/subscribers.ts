import {
  type AnyProcessManager,
  type AnyProjection,
  type Courier,
  courierAssignment,
  deliveryBoardProjection,
  deliveryOnAssembled,
  orderViewProjection,
  type RunningSubscribers,
  type SlotPolicy,
  type SubscribersDeps,
  startSubscribers,
} from "@mebel/core";

export interface DeliverySubscribers {
  readonly projections: ReadonlyArray<AnyProjection>;
  readonly processManagers: ReadonlyArray<AnyProcessManager>;
}

/**
 * What the delivery service runs: the board it answers from, the order views the R3 sweep reads,
 * the manager that turns OrderAssembled into a delivery request, and the one that places
 * deliveries with couriers.
 */
export const deliverySubscribers = (
  couriers: ReadonlyArray<Courier>,
  slots?: SlotPolicy,
): DeliverySubscribers => ({
  projections: [deliveryBoardProjection, orderViewProjection],
  processManagers: [deliveryOnAssembled, courierAssignment(couriers, slots)],
});

/** Starts each from its checkpoint; with `locks`, only one instance of the service applies. */
export const startDeliverySubscribers = (
  deps: SubscribersDeps,
  set: DeliverySubscribers,
): RunningSubscribers => startSubscribers(deps, set.projections, set.processManagers);
