import * as t from "io-ts";
import { Category } from "../domain/streams.js";
import type { DomainRecordedEvent } from "../projections/projection.js";
import { type CourierId, IsoInstant, OrderId } from "../shared/codecs.js";
import { own } from "../shared/own.js";
import { type Courier, chooseCourier } from "./choose-courier.js";
import { toDelivery } from "./process-commands.js";
import type { ProcessCommand, ProcessManager, Reaction } from "./process-manager.js";
import { refined } from "./refined.js";

/** A global position written in decimal: JSON has no bigint. */
const PositionText = refined(
  "PositionText",
  (u): u is string => typeof u === "string" && /^\d+$/.test(u),
);

export const CourierAssignmentState = t.type({
  /**
   * Global position of the last event taken into account, as a decimal string. A redelivered
   * event sits at or before it and is skipped: without this, a DeliveryRequested delivered again
   * after its delivery ended would take a courier's place for good.
   */
  seenUpTo: t.union([PositionText, t.null]),
  /** Deliveries nobody could take yet, oldest first. */
  waiting: t.readonlyArray(t.type({ orderId: OrderId, requestedAt: IsoInstant })),
  /** Each courier's deliveries still to carry, a set kept as a list (no order id twice). */
  active: t.readonly(t.record(t.string, t.readonlyArray(OrderId))),
});
export type CourierAssignmentState = t.TypeOf<typeof CourierAssignmentState>;

const initialState: CourierAssignmentState = { seenUpTo: null, waiting: [], active: {} };

const loads = (state: CourierAssignmentState): Record<string, number> =>
  Object.fromEntries(Object.entries(state.active).map(([id, orders]) => [id, orders.length]));

const isTracked = (state: CourierAssignmentState, orderId: OrderId): boolean =>
  state.waiting.some((w) => w.orderId === orderId) ||
  Object.values(state.active).some((orders) => orders.includes(orderId));

/** The state with the delivery neither waiting nor with any courier. */
const untrack = (state: CourierAssignmentState, orderId: OrderId): CourierAssignmentState => ({
  ...state,
  waiting: state.waiting.filter((w) => w.orderId !== orderId),
  active: Object.fromEntries(
    Object.entries(state.active)
      .map(([id, orders]) => [id, orders.filter((o) => o !== orderId)] as const)
      .filter(([, orders]) => orders.length > 0),
  ),
});

const give = (
  state: CourierAssignmentState,
  courierId: CourierId,
  orderId: OrderId,
): CourierAssignmentState => {
  const moved = untrack(state, orderId);
  return {
    ...moved,
    active: { ...moved.active, [courierId]: [...(own(moved.active, courierId) ?? []), orderId] },
  };
};

const assign = (courierId: CourierId, orderId: OrderId): ProcessCommand =>
  toDelivery({ type: "AssignCourier", orderId, courierId });

/**
 * Hands waiting deliveries, oldest first, to couriers with room. The assignment is recorded at
 * once rather than when CourierAssigned comes back, so the next request does not count on a place
 * that is already promised.
 */
const fillFromWaiting = (
  couriers: ReadonlyArray<Courier>,
  reaction: Reaction<CourierAssignmentState>,
): Reaction<CourierAssignmentState> => {
  const [oldest] = reaction.state.waiting;
  const courierId =
    oldest === undefined ? undefined : chooseCourier(couriers, loads(reaction.state));
  if (oldest === undefined || courierId === undefined) return reaction;
  return fillFromWaiting(couriers, {
    state: give(reaction.state, courierId, oldest.orderId),
    commands: [...reaction.commands, assign(courierId, oldest.orderId)],
  });
};

const seen = (state: CourierAssignmentState, event: DomainRecordedEvent): boolean =>
  state.seenUpTo !== null && event.position <= BigInt(state.seenUpTo);

/**
 * Assigns couriers to requested (or rescheduled) deliveries, within each courier's capacity; what
 * nobody can take waits. A CourierAssigned made by a person (to any courier, even a full one) is
 * taken as it is. A delivery completed, failed or cancelled frees its courier's place.
 */
export const courierAssignment = (
  couriers: ReadonlyArray<Courier>,
): ProcessManager<CourierAssignmentState> => ({
  name: "courier-assignment",
  categories: [Category.Delivery],
  initialState,
  codec: CourierAssignmentState,
  react: (previous, recorded) => {
    if (seen(previous, recorded)) return { state: previous, commands: [] };
    const state = { ...previous, seenUpTo: recorded.position.toString() };
    const event = recorded.event;
    switch (event.type) {
      // A rescheduled delivery is a new request: it waits behind those already waiting.
      case "DeliveryRequested":
      case "DeliveryRescheduled":
      case "DeliveryRerequested": {
        const { orderId } = event.data;
        if (isTracked(state, orderId)) return { state, commands: [] };
        const waiting = [...state.waiting, { orderId, requestedAt: recorded.metadata.occurredAt }];
        return fillFromWaiting(couriers, { state: { ...state, waiting }, commands: [] });
      }
      case "CourierAssigned":
      case "DeliveryPickedUp": {
        const { orderId, courierId } = event.data;
        // Moving a delivery to another courier may free a place on the one it was promised to.
        return fillFromWaiting(couriers, { state: give(state, courierId, orderId), commands: [] });
      }
      // Over for now: the courier's place is free, and a cancelled delivery no longer waits.
      case "DeliveryCompleted":
      case "DeliveryFailed":
      case "DeliveryCancelled":
        return fillFromWaiting(couriers, {
          state: untrack(state, event.data.orderId),
          commands: [],
        });
      default:
        return { state, commands: [] };
    }
  },
});
