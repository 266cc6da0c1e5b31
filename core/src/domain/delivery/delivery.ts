import * as E from "fp-ts/lib/Either.js";
import type { CourierId, OrderId } from "../../shared/codecs.js";
import type { Decider } from "../../shared/decider.js";
import { type DomainError, domainError } from "../../shared/domain-error.js";
import {
  type Cell,
  go,
  refuse,
  repeat,
  stay,
  type TransitionTable,
} from "../../shared/transition-table.js";
import type { DeliveryCommand } from "./commands.js";
import { type DeliveryWindow, sameWindow, windowFault } from "./delivery-window.js";
import type { DeliveryEvent } from "./events.js";

/**
 * awaiting_courier -> assigned -> picked_up -> completed; failed while with a courier; back to
 * awaiting_courier from failed (rescheduled or re-requested) or cancelled (re-requested); cancelled
 * from awaiting_courier, assigned or failed (never once the goods left with a courier). The
 * whole of it is `deliveryTransitions`.
 */
export const deliveryStatuses = [
  "awaiting_courier",
  "assigned",
  "picked_up",
  "completed",
  "failed",
  "cancelled",
] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export type DeliveryState =
  | { readonly status: "none" }
  | {
      readonly status: DeliveryStatus;
      readonly orderId: OrderId;
      readonly courierId: CourierId | null;
      /** The window the customer was told, while one holds; `null` when none is known. */
      readonly window: DeliveryWindow | null;
    };

export type DeliveryErrorCode =
  | "DELIVERY_NOT_FOUND"
  | "DELIVERY_ALREADY_ASSIGNED"
  | "DELIVERY_ALREADY_PICKED_UP"
  | "DELIVERY_NOT_ASSIGNED"
  | "DELIVERY_WINDOW_INVALID"
  | "INVALID_STATUS_TRANSITION";
export type DeliveryError = DomainError<DeliveryErrorCode>;

export const initialDeliveryState: DeliveryState = { status: "none" };

/** Still the courier's to carry: counts against the courier's capacity. */
export const isActive = (status: DeliveryStatus): boolean =>
  status === "assigned" || status === "picked_up";

export const evolveDelivery = (state: DeliveryState, event: DeliveryEvent): DeliveryState => {
  const window = state.status === "none" ? null : state.window;
  switch (event.type) {
    case "DeliveryRequested":
      return {
        status: "awaiting_courier",
        orderId: event.data.orderId,
        courierId: null,
        window: null,
      };
    case "CourierAssigned":
      return {
        status: "assigned",
        orderId: event.data.orderId,
        courierId: event.data.courierId,
        window: event.data.window,
      };
    case "DeliveryPickedUp":
      return {
        status: "picked_up",
        orderId: event.data.orderId,
        courierId: event.data.courierId,
        window,
      };
    case "DeliveryCompleted":
      return {
        status: "completed",
        orderId: event.data.orderId,
        courierId: event.data.courierId,
        window,
      };
    case "DeliveryFailed":
      return {
        status: "failed",
        orderId: event.data.orderId,
        courierId: event.data.courierId,
        window,
      };
    case "DeliveryRescheduled":
    case "DeliveryRerequested":
      // Tried again from the start: the next assignment says when.
      return {
        status: "awaiting_courier",
        orderId: event.data.orderId,
        courierId: null,
        window: null,
      };
    case "DeliveryCancelled":
      // The courier it had, if any, stays on record; a cancelled delivery is nobody's to carry.
      return {
        status: "cancelled",
        orderId: event.data.orderId,
        courierId: state.status === "none" ? null : state.courierId,
        window,
      };
  }
};

type Decision = E.Either<DeliveryError, ReadonlyArray<DeliveryEvent>>;
type CommandType = DeliveryCommand["type"];
type Row = Readonly<Record<CommandType, Cell<DeliveryStatus, DeliveryErrorCode>>>;

const notFound = refuse("DELIVERY_NOT_FOUND");
const invalid = refuse("INVALID_STATUS_TRANSITION");
/** Once it is over: only asking for it again (RequestDelivery) is harmless. */
const over = (own: Partial<Row>): Row => ({
  RequestDelivery: stay,
  AssignCourier: invalid,
  ReassignCourier: invalid,
  PickUpDelivery: invalid,
  CompleteDelivery: invalid,
  FailDelivery: invalid,
  RescheduleDelivery: invalid,
  RerequestDelivery: invalid,
  CancelDelivery: invalid,
  ...own,
});

/**
 * The Delivery's lifecycle, state by command: what the decider does (docs/lifecycles.md is drawn
 * from it). One delivery per order, keyed by the order: RequestDelivery is a no-op once there is
 * one, whatever its state; only a re-request revives a failed or cancelled one, and any live one
 * (awaiting, assigned, picked up) takes a re-request as already satisfied, which is what keeps an
 * order to one live delivery under concurrent re-requests (the stream's expected revision orders
 * them). Cancelling is accepted before the goods left with a courier, or once it failed.
 */
export const deliveryTransitions: TransitionTable<
  DeliveryState["status"],
  CommandType,
  DeliveryStatus,
  DeliveryErrorCode
> = {
  none: {
    RequestDelivery: go("awaiting_courier"),
    AssignCourier: notFound,
    ReassignCourier: notFound,
    PickUpDelivery: notFound,
    CompleteDelivery: notFound,
    FailDelivery: notFound,
    RescheduleDelivery: notFound,
    RerequestDelivery: notFound,
    // An order cancelled before its delivery was requested: there is nothing to cancel.
    CancelDelivery: stay,
  },
  awaiting_courier: {
    RequestDelivery: stay,
    AssignCourier: go("assigned"),
    ReassignCourier: go("assigned"),
    // Whoever took the goods is the courier now, whether or not somebody was assigned.
    PickUpDelivery: go("picked_up"),
    CompleteDelivery: invalid,
    FailDelivery: refuse("DELIVERY_NOT_ASSIGNED"),
    RescheduleDelivery: stay,
    RerequestDelivery: stay,
    CancelDelivery: go("cancelled"),
  },
  assigned: {
    RequestDelivery: stay,
    // The manager never takes a delivery from its courier; a dispatcher re-assigns.
    AssignCourier: repeat("DELIVERY_ALREADY_ASSIGNED"),
    ReassignCourier: go("assigned"),
    PickUpDelivery: go("picked_up"),
    CompleteDelivery: invalid,
    FailDelivery: go("failed"),
    RescheduleDelivery: invalid,
    RerequestDelivery: stay,
    CancelDelivery: go("cancelled"),
  },
  picked_up: {
    RequestDelivery: stay,
    AssignCourier: repeat("DELIVERY_ALREADY_ASSIGNED"),
    // The goods are with the courier: nobody else can carry them now.
    ReassignCourier: repeat("DELIVERY_ALREADY_PICKED_UP"),
    PickUpDelivery: repeat("INVALID_STATUS_TRANSITION"),
    CompleteDelivery: go("completed"),
    FailDelivery: go("failed"),
    RescheduleDelivery: invalid,
    RerequestDelivery: stay,
    CancelDelivery: invalid,
  },
  completed: over({ CompleteDelivery: stay }),
  failed: over({
    FailDelivery: stay,
    RescheduleDelivery: go("awaiting_courier"),
    RerequestDelivery: go("awaiting_courier"),
    CancelDelivery: go("cancelled"),
  }),
  cancelled: over({ RerequestDelivery: go("awaiting_courier"), CancelDelivery: stay }),
};

const emit = (...events: ReadonlyArray<DeliveryEvent>): Decision => E.right(events);

/** Where each command leads: what a refused one names as the status it could not go to. */
const targetOf: Readonly<Record<CommandType, DeliveryStatus>> = {
  RequestDelivery: "awaiting_courier",
  AssignCourier: "assigned",
  ReassignCourier: "assigned",
  PickUpDelivery: "picked_up",
  CompleteDelivery: "completed",
  FailDelivery: "failed",
  RescheduleDelivery: "awaiting_courier",
  RerequestDelivery: "awaiting_courier",
  CancelDelivery: "cancelled",
};

const refusal = (code: DeliveryErrorCode, command: DeliveryCommand, state: DeliveryState) => {
  const { orderId } = command;
  const courierId = state.status === "none" ? null : state.courierId;
  switch (code) {
    case "DELIVERY_NOT_FOUND":
      return domainError(code, `No delivery was requested for order ${orderId}.`, { orderId });
    case "DELIVERY_ALREADY_ASSIGNED":
      return domainError(code, `Delivery ${orderId} is with courier ${courierId}.`, {
        orderId,
        courierId,
      });
    case "DELIVERY_ALREADY_PICKED_UP":
      return domainError(code, `Courier ${courierId} has already picked up delivery ${orderId}.`, {
        orderId,
        courierId,
      });
    case "DELIVERY_NOT_ASSIGNED":
      return domainError(code, `Delivery ${orderId} has no courier yet.`, { orderId });
    case "DELIVERY_WINDOW_INVALID":
      // No cell of the table refuses with it: an assignment's own window does (windowRefusal).
      return domainError(code, `Delivery ${orderId} cannot be promised that window.`, { orderId });
    case "INVALID_STATUS_TRANSITION":
      return domainError(
        code,
        `Delivery ${orderId} cannot go from ${state.status} to ${targetOf[command.type]}.`,
        { orderId, from: state.status, to: targetOf[command.type] },
      );
  }
};

/** Whether the command asks for what the state already is: the same courier. */
const repeats = (command: DeliveryCommand, state: DeliveryState): boolean =>
  state.status !== "none" && "courierId" in command && command.courierId === state.courierId;

type Assigning = Extract<DeliveryCommand, { type: "AssignCourier" | "ReassignCourier" }>;

/**
 * The CourierAssigned an assignment makes, if it changes anything. The manager's AssignCourier to
 * the courier who has the delivery is a no-op whatever its window (it may be redelivered); a
 * dispatcher's ReassignCourier to the same courier moves the slot when it names another window.
 */
const assignment = (command: Assigning, state: DeliveryState): Decision => {
  const { orderId, courierId } = command;
  const current = state.status === "none" ? null : state.window;
  const sameCourier = state.status !== "none" && state.courierId === courierId;
  const window = command.window ?? (sameCourier ? current : null);
  if (sameCourier && (command.type === "AssignCourier" || sameWindow(window, current))) {
    return emit();
  }
  const fault = window === null ? undefined : windowFault(window, command.at);
  return window === null || fault === undefined
    ? emit({ type: "CourierAssigned", data: { orderId, courierId, window } })
    : E.left(windowRefusal(orderId, window, fault, command.at));
};

const windowRefusal = (
  orderId: OrderId,
  window: DeliveryWindow,
  fault: NonNullable<ReturnType<typeof windowFault>>,
  at: string | undefined,
): DeliveryError =>
  domainError(
    "DELIVERY_WINDOW_INVALID",
    fault === "in_the_past"
      ? `The window for delivery ${orderId} starts before ${at}, when it was asked for.`
      : `The window for delivery ${orderId} must start before it ends.`,
    { orderId, from: window.from, to: window.to, fault },
  );

/** The events of an allowed command; the table has already said the state allows it. */
const eventsOf = (command: DeliveryCommand, state: DeliveryState): Decision => {
  const { orderId } = command;
  const courierId = state.status === "none" ? null : state.courierId;
  switch (command.type) {
    case "RequestDelivery":
      return emit({ type: "DeliveryRequested", data: { orderId } });
    case "AssignCourier":
    case "ReassignCourier":
      return assignment(command, state);
    case "PickUpDelivery": {
      const pickedUp: DeliveryEvent = {
        type: "DeliveryPickedUp",
        data: { orderId, courierId: command.courierId },
      };
      // The handover is a fact of the physical world: whoever took the goods is the courier now.
      return command.courierId === courierId
        ? emit(pickedUp)
        : emit(
            {
              type: "CourierAssigned",
              data: {
                orderId,
                courierId: command.courierId,
                window: state.status === "none" ? null : state.window,
              },
            },
            pickedUp,
          );
    }
    case "CompleteDelivery":
      return emit({
        type: "DeliveryCompleted",
        data: { orderId, courierId: courierId as CourierId },
      });
    case "FailDelivery":
      return emit({
        type: "DeliveryFailed",
        data: { orderId, courierId: courierId as CourierId, reason: command.reason },
      });
    case "RescheduleDelivery":
      return emit({ type: "DeliveryRescheduled", data: { orderId } });
    case "RerequestDelivery":
      return emit({ type: "DeliveryRerequested", data: { orderId } });
    case "CancelDelivery":
      return emit({ type: "DeliveryCancelled", data: { orderId, reason: command.reason } });
  }
};

const decideDelivery = (command: DeliveryCommand, state: DeliveryState): Decision => {
  const cell = deliveryTransitions[state.status][command.type];
  switch (cell.kind) {
    case "go":
      return eventsOf(command, state);
    case "stay":
      return emit();
    case "repeat":
      return repeats(command, state) ? emit() : E.left(refusal(cell.code, command, state));
    case "refuse":
      return E.left(refusal(cell.code, command, state));
  }
};

export const deliveryDecider: Decider<
  DeliveryCommand,
  DeliveryEvent,
  DeliveryState,
  DeliveryError
> = {
  initialState: initialDeliveryState,
  decide: decideDelivery,
  evolve: evolveDelivery,
};
