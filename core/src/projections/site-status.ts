import * as t from "io-ts";
import type { DomainEvent } from "../domain/events.js";

/** Where an order stands as the site shows it, merging what the warehouse and delivery say. */
export const SiteStatus = t.keyof({
  draft: null,
  placed: null,
  processing: null,
  assembled: null,
  awaiting_courier: null,
  courier_assigned: null,
  out_for_delivery: null,
  delivered: null,
  delivery_failed: null,
  cancelled: null,
});
export type SiteStatus = t.TypeOf<typeof SiteStatus>;

/**
 * How far along each status is. Order and Delivery streams interleave in the log (a handover and
 * the pickup it causes, a pickup that assigns its courier on the way), so a status only moves
 * forward, with one exception (see `advanceStatus`). Cancelling is final: a courier assigned to a
 * cancelled order, or its delivery cancelled after it, changes nothing for the customer.
 */
const progress: Readonly<Record<SiteStatus, number>> = {
  draft: 0,
  placed: 1,
  processing: 2,
  assembled: 3,
  awaiting_courier: 4,
  courier_assigned: 5,
  out_for_delivery: 6,
  delivered: 7,
  delivery_failed: 7,
  cancelled: 8,
};

/** The status an event announces, if it announces one. */
export const announcedStatus = (event: DomainEvent): SiteStatus | undefined => {
  switch (event.type) {
    case "OrderCreated":
      return "draft";
    case "OrderPlaced":
      return "placed";
    case "OrderProcessingStarted":
      return "processing";
    case "OrderAssembled":
      return "assembled";
    case "DeliveryRequested":
    case "DeliveryRescheduled":
    case "DeliveryRerequested":
      return "awaiting_courier";
    case "CourierAssigned":
      return "courier_assigned";
    case "OrderHandedToCourier":
    case "DeliveryPickedUp":
      return "out_for_delivery";
    case "DeliveryCompleted":
      return "delivered";
    case "DeliveryFailed":
      return "delivery_failed";
    case "OrderCancelled":
      return "cancelled";
    default:
      return undefined;
  }
};

/**
 * A failed delivery that is rescheduled awaits a courier again: the one step back the ranking
 * allows, and only from `delivery_failed`. It is safe from the interleavings the ranking guards
 * against: DeliveryRescheduled only ever follows the DeliveryFailed of its own stream, so it is
 * never a late echo of an earlier step, and what comes after it (a courier assigned, a handover,
 * a pickup) ranks forward from it as the first attempt did. A cancelled order stays cancelled.
 * A re-request likewise only follows its own stream's failure or cancellation by hand, so it may
 * step back from any status the attempt it replaces reached, never from delivered or cancelled.
 */
const isRetry = (current: SiteStatus, event: DomainEvent): boolean =>
  (event.type === "DeliveryRescheduled" && current === "delivery_failed") ||
  (event.type === "DeliveryRerequested" && current !== "delivered" && current !== "cancelled");

/**
 * The status after an event: the announced one when it is further along (or when a failed
 * delivery is tried again), else the current one.
 */
export const advanceStatus = (current: SiteStatus, event: DomainEvent): SiteStatus => {
  const next = announcedStatus(event);
  if (next === undefined) return current;
  return progress[next] > progress[current] || isRetry(current, event) ? next : current;
};
