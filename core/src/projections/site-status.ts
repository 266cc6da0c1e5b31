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
 * forward. Cancelling is final: a courier assigned to a cancelled order changes nothing for the
 * customer.
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

/** The status after an event: the announced one when it is further along, else the current one. */
export const advanceStatus = (current: SiteStatus, event: DomainEvent): SiteStatus => {
  const next = announcedStatus(event);
  return next !== undefined && progress[next] > progress[current] ? next : current;
};
