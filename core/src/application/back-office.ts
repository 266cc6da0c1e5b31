import type { Position } from "../events/recorded-event.js";
import type { EventStore } from "../ports/event-store.js";
import type { ReadModelStore } from "../ports/read-model-store.js";
import type { Courier } from "../processes/choose-courier.js";
import { courierAssignment } from "../processes/courier-assignment.js";
import { deliveryOnAssembled } from "../processes/delivery-on-assembled.js";
import { handover } from "../processes/handover.js";
import type { AnyProcessManager } from "../processes/process-manager.js";
import { releaseReservations } from "../processes/release-reservations.js";
import { availabilityProjection } from "../projections/availability.js";
import { deliveryBoardProjection } from "../projections/delivery-board.js";
import { notificationsProjection } from "../projections/notifications.js";
import { orderViewProjection } from "../projections/order-view.js";
import type { AnyProjection } from "../projections/projection.js";
import {
  findOrphanedReservations,
  reservationLedgerProjection,
} from "../projections/reservation-ledger.js";
import { warehouseQueueProjection } from "../projections/warehouse-queue.js";
import type { CommandBus } from "./command-bus.js";
import type { CommandContext } from "./command-context.js";
import { type DeliverySweepReport, sweepMissingDeliveries } from "./delivery-sweep.js";
import { type SweepReport, sweepOrphans } from "./orphan-sweep.js";
import { startProcessManager } from "./process-runner.js";
import { startProjection } from "./projection-runner.js";
import { readViews } from "./read-views.js";
import type { RunningSubscriber, SubscriberDeps, SubscriberStatus } from "./subscriber.js";

/** Every read model of the back office. */
export const backOfficeProjections: ReadonlyArray<AnyProjection> = [
  orderViewProjection,
  availabilityProjection,
  notificationsProjection,
  deliveryBoardProjection,
  warehouseQueueProjection,
  reservationLedgerProjection,
];

/** Every process manager of the back office; couriers are the delivery context's reference data. */
export const backOfficeProcesses = (
  couriers: ReadonlyArray<Courier>,
): ReadonlyArray<AnyProcessManager> => [
  deliveryOnAssembled,
  handover,
  releaseReservations,
  courierAssignment(couriers),
];

export interface SubscribersDeps extends SubscriberDeps {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly bus: CommandBus;
}

export interface RunningSubscribers {
  readonly subscribers: ReadonlyArray<RunningSubscriber>;
  readonly status: () => ReadonlyArray<SubscriberStatus>;
  /** Resolves once every subscriber has handled everything up to `position`. */
  readonly waitUntil: (position: Position) => Promise<void>;
  /**
   * Resolves once nothing is left to react to: process managers append events that other
   * subscribers then handle, so this waits until the head stops moving.
   */
  readonly settle: () => Promise<void>;
  readonly stop: () => Promise<void>;
}

/** Starts projections and process managers together, to be waited on and stopped together. */
export const startSubscribers = (
  deps: SubscribersDeps,
  projections: ReadonlyArray<AnyProjection>,
  processes: ReadonlyArray<AnyProcessManager>,
): RunningSubscribers => {
  const subscribers: ReadonlyArray<RunningSubscriber> = [
    ...projections.map((p) => startProjection(p, deps)),
    ...processes.map((m) => startProcessManager(m, deps)),
  ];
  const waitUntil = async (position: Position): Promise<void> => {
    await Promise.all(subscribers.map((s) => s.waitUntil(position)));
  };
  return {
    subscribers,
    status: () => subscribers.map((s) => s.status()),
    waitUntil,
    settle: async () => {
      for (;;) {
        const head = await deps.store.head();
        if (head === undefined) return;
        await waitUntil(head);
        if ((await deps.store.head()) === head) return;
      }
    },
    stop: async () => {
      await Promise.all(subscribers.map((s) => s.stop()));
    },
  };
};

/** Every projection and process manager of the back office, in one process. */
export const startBackOffice = (
  deps: SubscribersDeps,
  couriers: ReadonlyArray<Courier>,
): RunningSubscribers =>
  startSubscribers(deps, backOfficeProjections, backOfficeProcesses(couriers));

export interface SweepOptions {
  readonly now: Date;
  /** How long a reservation may wait for its order line before it counts as orphaned. */
  readonly orphanGraceMs: number;
  /** How long an assembled order may wait for its delivery request (R3). */
  readonly deliveryGraceMs: number;
  readonly context: CommandContext;
}

export interface SweepsReport {
  readonly orphans: SweepReport;
  readonly deliveries: DeliverySweepReport;
}

/**
 * The two reconciliations that close what a crash or a lost event could leave open: reservations
 * whose line never came, and assembled orders no delivery was requested for. Both pick candidates
 * from read models, which may lag, and send only idempotent commands, so lag costs a no-op, never
 * harm.
 */
export const runSweeps = async (
  deps: {
    readonly readModels: ReadModelStore;
    readonly store: EventStore;
    readonly bus: CommandBus;
  },
  options: SweepOptions,
): Promise<SweepsReport> => {
  const ledger = await readViews(reservationLedgerProjection, deps.readModels).all();
  const orphans = await sweepOrphans(deps.bus)(
    findOrphanedReservations(ledger.values(), options.now, options.orphanGraceMs),
    options.context,
  );
  const deliveries = await sweepMissingDeliveries(deps, {
    now: options.now,
    graceMs: options.deliveryGraceMs,
    context: options.context,
  });
  return { orphans, deliveries };
};
