import * as t from "io-ts";
import { DeliveryWindow } from "../domain/delivery/delivery-window.js";
import type { DeliveryEvent } from "../domain/delivery/events.js";
import type { OrderEvent } from "../domain/order/events.js";
import { Category } from "../domain/streams.js";
import { CustomerId, IsoInstant, OrderId } from "../shared/codecs.js";
import { nullable, Revisions } from "./document-codecs.js";
import { byOrderId, isDeliveryEvent, isOrderEvent } from "./event-kinds.js";
import { formatMoney } from "./event-summaries.js";
import { instantSortKey, oldestFirst } from "./instants.js";
import { type DomainRecordedEvent, idempotentWhole, type Projection } from "./projection.js";
import { advanceStatus, SiteStatus } from "./site-status.js";

/**
 * The moments a customer is told about: the site statuses worth a message, and a failed delivery
 * tried again (its status, awaiting a courier, is not otherwise told). A cancelled delivery is not
 * told: when its order was cancelled, the order's cancellation told the customer already.
 */
export const NotificationKind = t.keyof({
  placed: null,
  processing: null,
  assembled: null,
  courier_assigned: null,
  out_for_delivery: null,
  delivered: null,
  delivery_failed: null,
  delivery_rescheduled: null,
  cancelled: null,
});
export type NotificationKind = t.TypeOf<typeof NotificationKind>;

export const Notification = t.intersection([
  t.type({
    /** The id of the event that caused it: a sender de-duplicates on it. */
    id: t.string,
    orderId: OrderId,
    at: IsoInstant,
    kind: NotificationKind,
    message: t.string,
  }),
  /**
   * A courier's assignment says when they come (null: not known yet), for the reader to put in
   * their own clock's words.
   */
  t.partial({ window: nullable(DeliveryWindow) }),
]);
export type Notification = t.TypeOf<typeof Notification>;

export const OrderNotifications = t.type({
  orderId: OrderId,
  customerId: nullable(CustomerId),
  /**
   * How far the customer has been told: a notification is sent only when this moves, which is
   * forward, or back to awaiting a courier when a failed delivery is rescheduled.
   */
  status: SiteStatus,
  notifications: t.readonlyArray(Notification),
  revisions: Revisions,
});
export type OrderNotifications = t.TypeOf<typeof OrderNotifications>;

/** What the customer is told when an event moves the status to `status`, if anything. */
const kindOf = (
  status: SiteStatus,
  event: OrderEvent | DeliveryEvent,
): NotificationKind | undefined => {
  if (event.type === "DeliveryRescheduled" || event.type === "DeliveryRerequested") {
    return "delivery_rescheduled";
  }
  return NotificationKind.is(status) ? status : undefined;
};

const message = (kind: NotificationKind, event: OrderEvent | DeliveryEvent): string => {
  switch (kind) {
    case "placed":
      return event.type === "OrderPlaced"
        ? `Thank you! Your order of ${formatMoney(event.data.total)} is placed.`
        : "Thank you! Your order is placed.";
    case "processing":
      return "Our warehouse has started preparing your order.";
    case "assembled":
      return "Your order is assembled and ready for delivery.";
    case "courier_assigned":
      return event.type === "CourierAssigned" && event.data.window !== null
        ? "A courier has been assigned to deliver your order, in the window shown."
        : "A courier has been assigned to deliver your order. We will tell you the time.";
    case "out_for_delivery":
      return "Your order is on its way.";
    case "delivered":
      return "Your order has been delivered. Enjoy!";
    case "delivery_failed":
      return event.type === "DeliveryFailed"
        ? `We could not deliver your order (${event.data.reason}). We will contact you.`
        : "We could not deliver your order. We will contact you.";
    case "delivery_rescheduled":
      return "We will try again to deliver your order: a courier will be assigned.";
    case "cancelled":
      return event.type === "OrderCancelled"
        ? `Your order was cancelled: ${event.data.reason}`
        : "Your order was cancelled.";
  }
};

/** The next document, as one object literal; its keys in the order they have always had. */
const applyToNotifications = (
  doc: OrderNotifications | undefined,
  recorded: DomainRecordedEvent,
  _key: string,
  revisions: OrderNotifications["revisions"],
): OrderNotifications | undefined => {
  const event = recorded.event;
  if (!isOrderEvent(event) && !isDeliveryEvent(event)) return doc;
  const orderId = doc === undefined ? event.data.orderId : doc.orderId;
  const told: OrderNotifications["notifications"] = doc === undefined ? [] : doc.notifications;
  const current: SiteStatus = doc === undefined ? "draft" : doc.status;
  const customerId =
    event.type === "OrderCreated" ? event.data.customerId : (doc?.customerId ?? null);
  const status = advanceStatus(current, event);
  const kind = status === current ? undefined : kindOf(status, event);
  const notifications =
    kind === undefined || told.some((n) => n.id === recorded.eventId)
      ? told
      : [
          ...told,
          {
            id: recorded.eventId,
            orderId: event.data.orderId,
            at: recorded.metadata.occurredAt,
            kind,
            message: message(kind, event),
            ...(event.type === "CourierAssigned" ? { window: event.data.window } : {}),
          },
        ];
  return { orderId, customerId, status, notifications, revisions };
};

/**
 * A customer's orders' notifications, by order, the order first told about first: its first
 * notification never moves, so a page's cursor stays where it was while the order goes on.
 */
export const NOTIFICATIONS_BY_CUSTOMER = "byCustomer";

const firstToldSortKey = (d: OrderNotifications) => {
  const first = d.notifications[0];
  return d.customerId === null || first === undefined
    ? undefined
    : { group: d.customerId, sort: instantSortKey(first.at) };
};

export const notificationsProjection: Projection<OrderNotifications> = {
  name: "notifications",
  // 2: revisions in documents are decimal strings (64-bit revisions).
  // 3: the customer index (a rebuild writes its entries).
  // 4: the customer index sorts by the first notification, so a customer's list comes in pages.
  // 5: a courier's assignment tells its window.
  version: 5,
  categories: [Category.Order, Category.Delivery],
  codec: OrderNotifications,
  keysOf: byOrderId,
  apply: idempotentWhole(applyToNotifications),
  indexes: {
    [NOTIFICATIONS_BY_CUSTOMER]: firstToldSortKey,
  },
};

/** Everything a customer has been told, newest first. */
export const notificationsOfCustomer = (
  docs: Iterable<OrderNotifications>,
  customerId: string,
): ReadonlyArray<Notification> =>
  [...docs]
    .filter((d) => d.customerId === customerId)
    .flatMap((d) => d.notifications.map((n, seq) => ({ n, seq })))
    .sort(
      oldestFirst(
        ({ n }) => n.at,
        ({ n, seq }) => `${n.orderId}#${String(seq).padStart(6, "0")}`,
      ),
    )
    .reverse()
    .map(({ n }) => n);
