import * as t from "io-ts";
import { DeliveryWindow } from "../domain/delivery/delivery-window.js";
import { defaultSlotPolicy, nextWindow, type SlotPolicy } from "../domain/delivery/slot-policy.js";
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

const Tracked = t.type({
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

/**
 * The windows of active deliveries, by order: the slots each courier is booked in. Optional, so
 * a state remembered before windows existed still loads (its deliveries count as in no slot).
 */
const Booked = t.partial({ windows: t.readonly(t.record(t.string, DeliveryWindow)) });

export const CourierAssignmentState = t.intersection([Tracked, Booked]);
export type CourierAssignmentState = t.TypeOf<typeof CourierAssignmentState>;

const initialState: CourierAssignmentState = {
  seenUpTo: null,
  waiting: [],
  active: {},
  windows: {},
};

/** The windows a courier is booked in, as their active deliveries hold them. */
const bookedOf = (
  state: CourierAssignmentState,
  courierId: CourierId,
): ReadonlyArray<DeliveryWindow> =>
  (own(state.active, courierId) ?? []).flatMap((orderId) => {
    const window = own(state.windows ?? {}, orderId);
    return window === undefined ? [] : [window];
  });

const loads = (state: CourierAssignmentState): Record<string, number> =>
  Object.fromEntries(Object.entries(state.active).map(([id, orders]) => [id, orders.length]));

const isTracked = (state: CourierAssignmentState, orderId: OrderId): boolean =>
  state.waiting.some((w) => w.orderId === orderId) ||
  Object.values(state.active).some((orders) => orders.includes(orderId));

/** The state with the delivery neither waiting nor with any courier. */
const untrack = (state: CourierAssignmentState, orderId: OrderId): CourierAssignmentState => ({
  ...state,
  windows: Object.fromEntries(Object.entries(state.windows ?? {}).filter(([id]) => id !== orderId)),
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
  window: DeliveryWindow | null,
): CourierAssignmentState => {
  const moved = untrack(state, orderId);
  return {
    ...moved,
    active: { ...moved.active, [courierId]: [...(own(moved.active, courierId) ?? []), orderId] },
    windows: window === null ? (moved.windows ?? {}) : { ...moved.windows, [orderId]: window },
  };
};

const assign = (
  courierId: CourierId,
  orderId: OrderId,
  window: DeliveryWindow,
  at: IsoInstant,
): ProcessCommand => toDelivery({ type: "AssignCourier", orderId, courierId, window, at });

interface Scheduling {
  readonly couriers: ReadonlyArray<Courier>;
  readonly policy: SlotPolicy;
  /** When the event that frees or asks for a place happened: the assignment's instant. */
  readonly at: IsoInstant;
}

/**
 * Hands waiting deliveries, oldest first, to couriers with room. The assignment is recorded at
 * once rather than when CourierAssigned comes back, so the next request does not count on a place
 * that is already promised.
 */
const fillFromWaiting = (
  scheduling: Scheduling,
  reaction: Reaction<CourierAssignmentState>,
): Reaction<CourierAssignmentState> => {
  const { couriers, policy, at } = scheduling;
  const [oldest] = reaction.state.waiting;
  const courierId =
    oldest === undefined ? undefined : chooseCourier(couriers, loads(reaction.state));
  if (oldest === undefined || courierId === undefined) return reaction;
  // Unless the policy says how many a slot holds, as many as the courier carries at once.
  const capacity = couriers.find((c) => c.id === courierId)?.capacity ?? 1;
  const window = nextWindow(policy, at, bookedOf(reaction.state, courierId), capacity);
  return fillFromWaiting(scheduling, {
    state: give(reaction.state, courierId, oldest.orderId, window),
    commands: [...reaction.commands, assign(courierId, oldest.orderId, window, at)],
  });
};

const seen = (state: CourierAssignmentState, event: DomainRecordedEvent): boolean =>
  state.seenUpTo !== null && event.position <= BigInt(state.seenUpTo);

/**
 * Assigns couriers to requested (or rescheduled) deliveries, within each courier's capacity, each
 * with the first window of the slot policy in which the courier has room; what nobody can take
 * waits. A CourierAssigned made by a person (to any courier, even a full one, in any window) is
 * taken as it is. A delivery completed, failed or cancelled frees its courier's place and slot.
 */
export const courierAssignment = (
  couriers: ReadonlyArray<Courier>,
  policy: SlotPolicy = defaultSlotPolicy,
): ProcessManager<CourierAssignmentState> => ({
  name: "courier-assignment",
  categories: [Category.Delivery],
  initialState,
  codec: CourierAssignmentState,
  react: (previous, recorded) => {
    if (seen(previous, recorded)) return { state: previous, commands: [] };
    const state = { ...previous, seenUpTo: recorded.position.toString() };
    const event = recorded.event;
    const scheduling = { couriers, policy, at: recorded.metadata.occurredAt };
    switch (event.type) {
      // A rescheduled delivery is a new request: it waits behind those already waiting.
      case "DeliveryRequested":
      case "DeliveryRescheduled":
      case "DeliveryRerequested": {
        const { orderId } = event.data;
        if (isTracked(state, orderId)) return { state, commands: [] };
        const waiting = [...state.waiting, { orderId, requestedAt: recorded.metadata.occurredAt }];
        return fillFromWaiting(scheduling, { state: { ...state, waiting }, commands: [] });
      }
      case "CourierAssigned": {
        const { orderId, courierId, window } = event.data;
        // Moving a delivery to another courier may free a place on the one it was promised to.
        return fillFromWaiting(scheduling, {
          state: give(state, courierId, orderId, window),
          commands: [],
        });
      }
      case "DeliveryPickedUp": {
        const { orderId, courierId } = event.data;
        const window = own(state.windows ?? {}, orderId) ?? null;
        return fillFromWaiting(scheduling, {
          state: give(state, courierId, orderId, window),
          commands: [],
        });
      }
      // Over for now: the courier's place is free, and a cancelled delivery no longer waits.
      case "DeliveryCompleted":
      case "DeliveryFailed":
      case "DeliveryCancelled":
        return fillFromWaiting(scheduling, {
          state: untrack(state, event.data.orderId),
          commands: [],
        });
      default:
        return { state, commands: [] };
    }
  },
});
