import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import type { MailKind } from "../domain/mail-preferences/events.js";
import type { DomainRecordedEvent } from "../projections/projection.js";
import type { MinorUnits, OrderId } from "../shared/codecs.js";

/** A delivery window, when the delivery context says one (read tolerantly: it may not). */
const Window = t.type({ from: t.string, to: t.string });
export type DeliveryWindow = t.TypeOf<typeof Window>;

/** What one event tells the customer, before it is put into words. */
export interface MailIntent {
  readonly kind: MailKind;
  readonly eventId: string;
  readonly orderId: OrderId;
  readonly occurredAt: string;
  readonly total?: MinorUnits;
  readonly reason?: string;
  readonly window?: DeliveryWindow;
}

const windowOf = (data: unknown): { readonly window?: DeliveryWindow } => {
  const raw = (data as { readonly window?: unknown }).window;
  const decoded = Window.decode(raw);
  return E.isRight(decoded) ? { window: decoded.right } : {};
};

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
        ...windowOf(event.data),
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
