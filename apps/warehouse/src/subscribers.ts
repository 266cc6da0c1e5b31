import {
  type AnyProcessManager,
  type AnyProjection,
  availabilityProjection,
  type CommandBus,
  handover,
  type ReadModelStore,
  type RunningSubscriber,
  releaseReservations,
  reservationLedgerProjection,
  type SubscriberDeps,
  startProcessManager,
  startProjection,
  warehouseQueueProjection,
} from "@mebel/core";

/**
 * What the warehouse service runs beside its routes: the read models its queries and its sweep
 * use, and the managers that settle reservations when lines go (release) or leave (handover).
 */
export const warehouseSubscribers: {
  readonly projections: ReadonlyArray<AnyProjection>;
  readonly processes: ReadonlyArray<AnyProcessManager>;
} = {
  projections: [warehouseQueueProjection, availabilityProjection, reservationLedgerProjection],
  processes: [releaseReservations, handover],
};

/** Starts every warehouse subscriber from its checkpoint. */
export const startWarehouseSubscribers = (
  deps: SubscriberDeps & { readonly readModels: ReadModelStore; readonly bus: CommandBus },
): ReadonlyArray<RunningSubscriber> => [
  ...warehouseSubscribers.projections.map((p) => startProjection(p, deps)),
  ...warehouseSubscribers.processes.map((m) => startProcessManager(m, deps)),
];
