import {
  CourierId,
  CustomerId,
  DeliveryBoardEntry,
  DeliveryWindow,
  IsoInstant,
  LineId,
  MinorUnits,
  Notification,
  OrderId,
  OrderViewLine,
  Quantity,
  Role,
  Sku,
  OrderView as StoredOrderView,
  WarehouseQueueEntry,
} from "@mebel/core";
import * as t from "io-ts";

/** A stored document's codec without its `revisions`: the bookkeeping no answer carries. */
const withoutRevisions = <P extends t.Props & { revisions: t.Mixed }>(props: P) => {
  const { revisions: _, ...rest } = props;
  return t.type(rest as Omit<P, "revisions">);
};

export const OrderView = withoutRevisions(StoredOrderView.props);
export type OrderView = t.TypeOf<typeof OrderView>;
export const OrderViews = t.readonlyArray(OrderView);

export const Notifications = t.readonlyArray(Notification);
export { Notification };

export const ListedProduct = t.type({
  sku: Sku,
  name: t.string,
  price: MinorUnits,
  available: t.union([t.number, t.null]),
  availableLive: t.union([t.number, t.null]),
});
export type ListedProduct = t.TypeOf<typeof ListedProduct>;
export const ProductPage = t.type({
  products: t.readonlyArray(ListedProduct),
  total: t.number,
  offset: t.number,
  limit: t.number,
});

export const CatalogProduct = t.type({ sku: Sku, name: t.string, price: MinorUnits });
export type CatalogProduct = t.TypeOf<typeof CatalogProduct>;

/** An order as the warehouse answers a command: its stream's state at once (read-your-writes). */
export const WarehouseOrder = t.type({
  orderId: OrderId,
  customerId: CustomerId,
  status: t.string,
  lines: t.readonlyArray(OrderViewLine),
  total: MinorUnits,
});
export type WarehouseOrder = t.TypeOf<typeof WarehouseOrder>;
export const AddedItem = t.type({ lineId: LineId, order: WarehouseOrder });

export const StockLevel = t.type({
  sku: Sku,
  onHand: t.number,
  reserved: t.number,
  available: t.number,
});
export type StockLevel = t.TypeOf<typeof StockLevel>;
export const StockLevels = t.readonlyArray(StockLevel);

/** `availability` on `/products/events`: an SKU's figure after a change. */
export const AvailabilityChange = t.type({ sku: Sku, available: t.number });
export type AvailabilityChange = t.TypeOf<typeof AvailabilityChange>;

export const QueueEntry = withoutRevisions(WarehouseQueueEntry.props);
export type QueueEntry = t.TypeOf<typeof QueueEntry>;
/** `order` on `/staff/events`: where a placed order stands, with its picking list. */
export const StaffOrderChange = t.type({
  orderId: OrderId,
  stage: WarehouseQueueEntry.props.stage,
  status: t.string,
  lines: WarehouseQueueEntry.props.lines,
  placedAt: WarehouseQueueEntry.props.placedAt,
  updatedAt: IsoInstant,
});
export type StaffOrderChange = t.TypeOf<typeof StaffOrderChange>;
export const Queue = t.type({ orders: t.readonlyArray(QueueEntry), lag: t.string });

export const BoardEntry = withoutRevisions(DeliveryBoardEntry.props);
export type BoardEntry = t.TypeOf<typeof BoardEntry>;
export const Board = t.intersection([
  t.type({
    awaitingCourier: t.readonlyArray(BoardEntry),
    byCourier: t.record(t.string, t.readonlyArray(BoardEntry)),
  }),
  /** Deliveries that failed, for a dispatcher to ask for again. */
  t.partial({ failed: t.readonlyArray(BoardEntry) }),
]);
export type Board = t.TypeOf<typeof Board>;

export const CourierLoad = t.type({
  id: CourierId,
  name: t.string,
  capacity: t.number,
  active: t.number,
});
export type CourierLoad = t.TypeOf<typeof CourierLoad>;
export const Couriers = t.readonlyArray(CourierLoad);

export const CourierDeliveries = t.type({
  courierId: CourierId,
  deliveries: t.readonlyArray(BoardEntry),
});
export type CourierDeliveries = t.TypeOf<typeof CourierDeliveries>;

export const DeliveryState = t.type({
  orderId: OrderId,
  status: t.string,
  courierId: t.union([CourierId, t.null]),
  window: t.union([DeliveryWindow, t.null]),
});
export type DeliveryState = t.TypeOf<typeof DeliveryState>;

export const SessionToken = t.type({ accessToken: t.string, expiresIn: t.number });
export const Me = t.intersection([
  t.type({
    id: t.string,
    email: t.union([t.string, t.null]),
    name: t.union([t.string, t.null]),
    roles: t.readonlyArray(Role),
  }),
  t.partial({ courierId: t.string }),
]);
export type Me = t.TypeOf<typeof Me>;
export const Ticket = t.type({ ticket: t.string });

/** An account as `/admin/accounts` shows it to an admin. */
export const AdminAccount = t.type({
  id: t.string,
  email: t.string,
  name: t.string,
  roles: t.readonlyArray(Role),
  disabled: t.boolean,
  courierId: t.union([t.string, t.null]),
});
export type AdminAccount = t.TypeOf<typeof AdminAccount>;
export const AccountsPage = t.type({
  accounts: t.readonlyArray(AdminAccount),
  total: t.number,
  offset: t.number,
  limit: t.number,
});
export type AccountsPage = t.TypeOf<typeof AccountsPage>;

/** Staff sent a failed message again: who, when, why, and what it had ended with. */
export const MailResend = t.type({
  at: t.string,
  by: t.string,
  reason: t.string,
  previousError: t.string,
  previousAttempts: t.number,
  addressChanged: t.boolean,
});
export const FailedMail = t.type({
  id: t.string,
  kind: t.string,
  orderId: t.string,
  customerId: t.string,
  attempts: t.number,
  error: t.string,
  resends: t.readonlyArray(MailResend),
});
export type FailedMail = t.TypeOf<typeof FailedMail>;
export const FailedMailList = t.type({ messages: t.readonlyArray(FailedMail) });
export const ResentMail = t.type({ id: t.string, status: t.string, resend: MailResend });

export const SubscriberHealth = t.intersection([
  t.type({
    name: t.string,
    state: t.string,
    checkpoint: t.union([t.string, t.null]),
    head: t.union([t.string, t.null]),
    lag: t.union([t.string, t.null]),
  }),
  t.partial({ error: t.string }),
]);
export type SubscriberHealth = t.TypeOf<typeof SubscriberHealth>;
const SweepHealth = t.intersection([
  t.type({ name: t.string, state: t.string, settled: t.number }),
  t.partial({ error: t.string }),
]);
export const Health = t.intersection([
  t.type({ status: t.string, subscribers: t.readonlyArray(SubscriberHealth) }),
  t.partial({ sweeps: t.readonlyArray(SweepHealth) }),
]);
export type Health = t.TypeOf<typeof Health>;

export { IsoInstant, Quantity };
