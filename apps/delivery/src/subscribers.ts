import {
  type AnyProcessManager,
  type AnyProjection,
  type BackOfficeDeps,
  type Courier,
  courierAssignment,
  deliveryBoardProjection,
  deliveryOnAssembled,
  orderViewProjection,
  type RunningSubscriber,
  type SubscriberStatus,
  startProcessManager,
  startProjection,
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
export const deliverySubscribers = (couriers: ReadonlyArray<Courier>): DeliverySubscribers => ({
  projections: [deliveryBoardProjection, orderViewProjection],
  processManagers: [deliveryOnAssembled, courierAssignment(couriers)],
});

export interface RunningDeliverySubscribers {
  readonly subscribers: ReadonlyArray<RunningSubscriber>;
  /** What `/health` and `/ready` report. */
  readonly status: () => ReadonlyArray<SubscriberStatus>;
  readonly stop: () => Promise<void>;
}

/** Starts each from its checkpoint; with `locks`, only one instance of the service applies. */
export const startDeliverySubscribers = (
  deps: BackOfficeDeps,
  set: DeliverySubscribers,
): RunningDeliverySubscribers => {
  const subscribers = [
    ...set.projections.map((p) => startProjection(p, deps)),
    ...set.processManagers.map((m) => startProcessManager(m, deps)),
  ];
  return {
    subscribers,
    status: () => subscribers.map((s) => s.status()),
    stop: async () => {
      await Promise.all(subscribers.map((s) => s.stop()));
    },
  };
};
