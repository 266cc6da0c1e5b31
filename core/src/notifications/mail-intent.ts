import type { DeliveryWindow } from "../domain/delivery/delivery-window.js";
import type { MailKind } from "../domain/mail-preferences/events.js";
import type { DomainRecordedEvent } from "../projections/projection.js";
import type { MinorUnits, OrderId } from "../shared/codecs.js";

/** What one event tells the customer, before it is put into words. */
export interface MailIntent {
  readonly kind: MailKind;
  readonly eventId: string;
  readonly orderId: OrderId;
  readonly occurredAt: string;
  readonly total?: MinorUnits;
  readonly reason?: string;
  /** Who comes, on a courier's assignment; the window is `null` when none is known. */
  readonly courierId?: string;
  readonly window?: DeliveryWindow | null;
}

/**
 * The e-mail an event asks for, if any: the changes a customer waits for, never bookkeeping.
 * Event types are matched by name, so delivery events added later pass by unnoticed until one
 * is given words here.
 */
export const mailIntentOf = (recorded: DomainRecordedEvent): MailIntent | undefined => {
  const { event } = recorded;
  const base = {
    eventId: recorded.eventId,
    occurredAt: recorded.metadata.occurredAt,
  };
  switch (event.type) {
    case "OrderPlaced":
      return { ...base, kind: "placed", orderId: event.data.orderId, total: event.data.total };
    case "OrderAssembled":
      return { ...base, kind: "assembled", orderId: event.data.orderId };
    case "CourierAssigned":
      return {
        ...base,
        kind: "courier_assigned",
        orderId: event.data.orderId,
        courierId: event.data.courierId,
        window: event.data.window,
      };
    case "OrderHandedToCourier":
      return { ...base, kind: "handed_over", orderId: event.data.orderId };
    case "DeliveryCompleted":
      return { ...base, kind: "delivered", orderId: event.data.orderId };
    case "DeliveryFailed":
      return {
        ...base,
        kind: "delivery_failed",
        orderId: event.data.orderId,
        reason: event.data.reason,
      };
    case "OrderCancelled":
      return { ...base, kind: "cancelled", orderId: event.data.orderId, reason: event.data.reason };
    default:
      return undefined;
  }
};
