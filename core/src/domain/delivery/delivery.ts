import * as E from "fp-ts/lib/Either.js";
import type { CourierId, OrderId } from "../../shared/codecs.js";
import type { Decider } from "../../shared/decider.js";
import { type DomainError, domainError } from "../../shared/domain-error.js";
import type { DeliveryCommand } from "./commands.js";
import type { DeliveryEvent } from "./events.js";

/**
 * awaiting_courier -> assigned -> picked_up -> completed; failed while with a courier, and from
 * failed back to awaiting_courier when rescheduled; cancelled, for good, from awaiting_courier,
 * assigned or failed (never once the goods left with a courier).
 */
export type DeliveryStatus =
  | "awaiting_courier"
  | "assigned"
  | "picked_up"
  | "completed"
  | "failed"
  | "cancelled";

export type DeliveryState =
  | { readonly status: "none" }
  | {
      readonly status: DeliveryStatus;
      readonly orderId: OrderId;
      readonly courierId: CourierId | null;
    };

export type DeliveryErrorCode =
  | "DELIVERY_NOT_FOUND"
  | "DELIVERY_ALREADY_ASSIGNED"
  | "DELIVERY_NOT_ASSIGNED"
  | "INVALID_STATUS_TRANSITION";
export type DeliveryError = DomainError<DeliveryErrorCode>;

export const initialDeliveryState: DeliveryState = { status: "none" };

/** Still the courier's to carry: counts against the courier's capacity. */
export const isActive = (status: DeliveryStatus): boolean =>
  status === "assigned" || status === "picked_up";

export const evolveDelivery = (state: DeliveryState, event: DeliveryEvent): DeliveryState => {
  switch (event.type) {
    case "DeliveryRequested":
      return { status: "awaiting_courier", orderId: event.data.orderId, courierId: null };
    case "CourierAssigned":
      return { status: "assigned", orderId: event.data.orderId, courierId: event.data.courierId };
    case "DeliveryPickedUp":
      return { status: "picked_up", orderId: event.data.orderId, courierId: event.data.courierId };
    case "DeliveryCompleted":
      return { status: "completed", orderId: event.data.orderId, courierId: event.data.courierId };
    case "DeliveryFailed":
      return { status: "failed", orderId: event.data.orderId, courierId: event.data.courierId };
    case "DeliveryRescheduled":
      return { status: "awaiting_courier", orderId: event.data.orderId, courierId: null };
    case "DeliveryCancelled":
      // The courier it had, if any, stays on record; a cancelled delivery is nobody's to carry.
      return {
        status: "cancelled",
        orderId: event.data.orderId,
        courierId: state.status === "none" ? null : state.courierId,
      };
  }
};

/**
 * Where CancelDelivery is accepted: before the goods left with a courier, or once the delivery
 * failed (so that it is not rescheduled for an order cancelled meanwhile).
 */
const isCancellable = (status: DeliveryStatus): boolean =>
  status === "awaiting_courier" || status === "assigned" || status === "failed";

type Decision = E.Either<DeliveryError, ReadonlyArray<DeliveryEvent>>;
const none: Decision = E.right([]);
const reject = (
  code: DeliveryErrorCode,
  message: string,
  details?: Record<string, unknown>,
): Decision => E.left(domainError(code, message, details));

const transition = (orderId: OrderId, from: DeliveryStatus, to: string): Decision =>
  reject("INVALID_STATUS_TRANSITION", `Delivery ${orderId} cannot go from ${from} to ${to}.`, {
    orderId,
    from,
    to,
  });

const decideDelivery = (command: DeliveryCommand, state: DeliveryState): Decision => {
  const { orderId } = command;
  if (state.status === "none") {
    // One delivery per order, keyed by the order: a duplicated trigger finds it and does nothing.
    if (command.type === "RequestDelivery") {
      return E.right([{ type: "DeliveryRequested", data: { orderId } }]);
    }
    // An order cancelled before its delivery was requested: there is nothing to cancel.
    if (command.type === "CancelDelivery") return none;
    return reject("DELIVERY_NOT_FOUND", `No delivery was requested for order ${orderId}.`, {
      orderId,
    });
  }
  const { status, courierId } = state;
  switch (command.type) {
    case "RequestDelivery":
      // Including a cancelled one: one delivery per order, and it stays cancelled.
      return none;
    case "AssignCourier":
      if (status === "awaiting_courier") {
        return E.right([
          { type: "CourierAssigned", data: { orderId, courierId: command.courierId } },
        ]);
      }
      if (courierId === command.courierId && isActive(status)) return none;
      return isActive(status)
        ? reject("DELIVERY_ALREADY_ASSIGNED", `Delivery ${orderId} is with courier ${courierId}.`, {
            orderId,
            courierId,
          })
        : transition(orderId, status, "assigned");
    case "PickUpDelivery": {
      if (status === "picked_up" && courierId === command.courierId) return none;
      if (status !== "awaiting_courier" && status !== "assigned") {
        return transition(orderId, status, "picked_up");
      }
      const pickedUp: DeliveryEvent = {
        type: "DeliveryPickedUp",
        data: { orderId, courierId: command.courierId },
      };
      // The handover is a fact of the physical world: whoever took the goods is the courier now,
      // whether nobody or somebody else was assigned.
      return courierId === command.courierId
        ? E.right([pickedUp])
        : E.right([
            { type: "CourierAssigned", data: { orderId, courierId: command.courierId } },
            pickedUp,
          ]);
    }
    case "CompleteDelivery":
      if (status === "completed") return none;
      return status === "picked_up" && courierId !== null
        ? E.right([{ type: "DeliveryCompleted", data: { orderId, courierId } }])
        : transition(orderId, status, "completed");
    case "FailDelivery":
      if (status === "failed") return none;
      if (courierId === null || !isActive(status)) {
        return status === "awaiting_courier"
          ? reject("DELIVERY_NOT_ASSIGNED", `Delivery ${orderId} has no courier yet.`, { orderId })
          : transition(orderId, status, "failed");
      }
      return E.right([
        { type: "DeliveryFailed", data: { orderId, courierId, reason: command.reason } },
      ]);
    case "RescheduleDelivery":
      if (status === "awaiting_courier") return none;
      return status === "failed"
        ? E.right([{ type: "DeliveryRescheduled", data: { orderId } }])
        : transition(orderId, status, "awaiting_courier");
    case "CancelDelivery":
      if (status === "cancelled") return none;
      return isCancellable(status)
        ? E.right([{ type: "DeliveryCancelled", data: { orderId, reason: command.reason } }])
        : transition(orderId, status, "cancelled");
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
