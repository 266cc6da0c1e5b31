import * as t from "io-ts";
import { DeliveryWindow } from "../domain/delivery/delivery-window.js";
import type { DeliveryEvent } from "../domain/delivery/events.js";
import { DeliveryAddress } from "../domain/order/delivery-address.js";
import type { OrderEvent } from "../domain/order/events.js";
import { Category } from "../domain/streams.js";
import {
  CourierId,
  CustomerId,
  IsoInstant,
  LineId,
  MinorUnits,
  OrderId,
  Quantity,
  Sku,
} from "../shared/codecs.js";
import { nullable, Revisions, RevisionText } from "./document-codecs.js";
import { byOrderId, isDeliveryEvent, isOrderEvent } from "./event-kinds.js";
import { summarize } from "./event-summaries.js";
import { instantSortKey, latest, oldestFirst } from "./instants.js";
import { withLine, withoutLine } from "./lines.js";
import { type DomainRecordedEvent, idempotentWhole, type Projection } from "./projection.js";
import { advanceStatus, SiteStatus } from "./site-status.js";

export const OrderViewLine = t.type({
  lineId: LineId,
  sku: Sku,
  quantity: Quantity,
  unitPrice: MinorUnits,
});
export type OrderViewLine = t.TypeOf<typeof OrderViewLine>;

/**
 * One step of an order's story, from whichever stream told it, and by whom: the role the actor
 * acted in (`customer`, `warehouse`, `system`, ...), never the person behind a staff account.
 */
export const TimelineEntry = t.intersection([
  t.type({
    occurredAt: IsoInstant,
    type: t.string,
    summary: t.string,
    stream: t.string,
    revision: RevisionText,
  }),
  t.partial({ by: t.string }),
]);
export type TimelineEntry = t.TypeOf<typeof TimelineEntry>;

/** The site's view of one order: what the customer sees on the order page. */
export const OrderView = t.type({
  orderId: OrderId,
  /** `null` only while a delivery event has arrived ahead of the order's creation. */
  customerId: nullable(CustomerId),
  status: SiteStatus,
  lines: t.readonlyArray(OrderViewLine),
  total: MinorUnits,
  deliveryAddress: nullable(DeliveryAddress),
  courierId: nullable(CourierId),
  /** When the courier comes, as the customer is told; null until assigned or when not known. */
  deliveryWindow: nullable(DeliveryWindow),
  /** In log order, which is the order things happened in, whatever each service's clock says. */
  timeline: t.readonlyArray(TimelineEntry),
  createdAt: IsoInstant,
  placedAt: nullable(IsoInstant),
  assembledAt: nullable(IsoInstant),
  updatedAt: IsoInstant,
  revisions: Revisions,
});
export type OrderView = t.TypeOf<typeof OrderView>;

const emptyOrderView = (orderId: OrderId, at: IsoInstant): OrderView => ({
  orderId,
  customerId: null,
  status: "draft",
  lines: [],
  total: 0 as MinorUnits,
  deliveryAddress: null,
  courierId: null,
  deliveryWindow: null,
  timeline: [],
  createdAt: at,
  placedAt: null,
  assembledAt: null,
  updatedAt: at,
  revisions: {},
});

const totalOf = (lines: ReadonlyArray<OrderViewLine>): MinorUnits =>
  lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0) as MinorUnits;

/** One line of the order's story, if the event tells one. */
const timelineEntry = (
  recorded: DomainRecordedEvent,
  event: OrderEvent | DeliveryEvent,
): TimelineEntry | undefined => {
  const summary = summarize(event);
  if (summary === undefined) return undefined;
  const entry = {
    occurredAt: recorded.metadata.occurredAt,
    type: event.type,
    summary,
    stream: recorded.streamName,
    revision: recorded.revision.toString(),
  };
  const by = recorded.metadata.actorRole;
  return by === undefined ? entry : { ...entry, by };
};

/**
 * The next document, built whole as one object literal (copies by spread cost a replay most of
 * its time); its keys in the order of `emptyOrderView`, which every document has always had.
 */
const applyToOrderView = (
  doc: OrderView | undefined,
  recorded: DomainRecordedEvent,
  _key: string,
  revisions: OrderView["revisions"],
): OrderView | undefined => {
  const event = recorded.event;
  if (!isOrderEvent(event) && !isDeliveryEvent(event)) return doc;
  const at = recorded.metadata.occurredAt;
  const view = doc ?? emptyOrderView(event.data.orderId, at);
  let { customerId, lines, total, deliveryAddress, courierId, placedAt, assembledAt } = view;
  let deliveryWindow = view.deliveryWindow;
  switch (event.type) {
    case "OrderCreated":
      customerId = event.data.customerId;
      break;
    case "OrderItemAdded": {
      const { lineId, sku, quantity, unitPrice } = event.data;
      lines = withLine(lines, { lineId, sku, quantity, unitPrice });
      total = totalOf(lines);
      break;
    }
    case "OrderItemRemoved":
      lines = withoutLine(lines, event.data.lineId);
      total = totalOf(lines);
      break;
    case "OrderPlaced":
      // The total the order was placed for is the one the customer agreed to.
      deliveryAddress = event.data.deliveryAddress;
      total = event.data.total;
      placedAt = at;
      break;
    case "OrderAssembled":
      assembledAt = at;
      break;
    case "CourierAssigned":
      courierId = event.data.courierId;
      deliveryWindow = event.data.window;
      break;
    case "OrderHandedToCourier":
    case "DeliveryPickedUp":
      courierId = event.data.courierId;
      break;
    case "DeliveryRescheduled":
    case "DeliveryRerequested":
      // Tried again from the start: whoever failed it is not coming back with it, nor then.
      courierId = null;
      deliveryWindow = null;
      break;
    case "DeliveryFailed":
    case "DeliveryCancelled":
      // Nobody is coming in that window any more.
      deliveryWindow = null;
      break;
  }
  const entry = timelineEntry(recorded, event);
  return {
    orderId: view.orderId,
    customerId,
    status: advanceStatus(view.status, event),
    lines,
    total,
    deliveryAddress,
    courierId,
    deliveryWindow,
    timeline: entry === undefined ? view.timeline : [...view.timeline, entry],
    createdAt: view.createdAt,
    placedAt,
    assembledAt,
    updatedAt: latest(view.updatedAt, at),
    revisions,
  };
};

/** A customer's orders by creation: read newest first for the "my orders" page. */
export const ORDERS_BY_CUSTOMER = "byCustomer";

export const orderViewProjection: Projection<OrderView> = {
  name: "order-view",
  // 2: the delivery address is structured (OrderPlaced v2); a new version rebuilds from zero.
  // 3: revisions in documents are decimal strings (64-bit revisions).
  // 4: the customer index (a rebuild writes its entries).
  // 5: the delivery window.
  version: 5,
  categories: [Category.Order, Category.Delivery],
  codec: OrderView,
  keysOf: byOrderId,
  apply: idempotentWhole(applyToOrderView),
  indexes: {
    [ORDERS_BY_CUSTOMER]: (o) =>
      o.customerId === null
        ? undefined
        : { group: o.customerId, sort: instantSortKey(o.createdAt) },
  },
};

/** A customer's orders, newest first: the "my orders" page. */
export const ordersOfCustomer = (
  docs: Iterable<OrderView>,
  customerId: string,
): ReadonlyArray<OrderView> =>
  [...docs]
    .filter((o) => o.customerId === customerId)
    .sort(
      oldestFirst(
        (o) => o.createdAt,
        (o) => o.orderId,
      ),
    )
    .reverse();

/** Orders in one status, oldest first. */
export const ordersWithStatus = (
  docs: Iterable<OrderView>,
  status: SiteStatus,
): ReadonlyArray<OrderView> =>
  [...docs]
    .filter((o) => o.status === status)
    .sort(
      oldestFirst(
        (o) => o.createdAt,
        (o) => o.orderId,
      ),
    );
