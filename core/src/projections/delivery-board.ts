import * as t from "io-ts";
import { isActive } from "../domain/delivery/delivery.js";
import { DeliveryWindow } from "../domain/delivery/delivery-window.js";
import { Category } from "../domain/streams.js";
import { CourierId, IsoInstant, OrderId, Text } from "../shared/codecs.js";
import { nullable, Revisions } from "./document-codecs.js";
import { isDeliveryEvent } from "./event-kinds.js";
import { instantSortKey, oldestFirst } from "./instants.js";
import { type DomainRecordedEvent, idempotentWhole, type Projection } from "./projection.js";

const BoardStatus = t.keyof({
  awaiting_courier: null,
  assigned: null,
  picked_up: null,
  completed: null,
  failed: null,
  cancelled: null,
});

/** One delivery on the dispatcher's board. */
export const DeliveryBoardEntry = t.type({
  orderId: OrderId,
  status: BoardStatus,
  /** The courier who has it, or had it when it failed or was cancelled. */
  courierId: nullable(CourierId),
  /** When it last joined the list awaiting a courier: its request, or its rescheduling. */
  requestedAt: IsoInstant,
  assignedAt: nullable(IsoInstant),
  /** When its courier comes, as the customer was told; null while none is known. */
  window: nullable(DeliveryWindow),
  /** Why its last attempt failed; kept when it is rescheduled, for the next courier to know. */
  failureReason: nullable(Text),
  cancellationReason: nullable(Text),
  updatedAt: IsoInstant,
  revisions: Revisions,
});
export type DeliveryBoardEntry = t.TypeOf<typeof DeliveryBoardEntry>;

/**
 * The next document, built whole as one object literal (copies by spread cost a replay most of
 * its time); its keys in the order the documents have always had.
 */
const applyToBoard = (
  doc: DeliveryBoardEntry | undefined,
  recorded: DomainRecordedEvent,
  _key: string,
  revisions: DeliveryBoardEntry["revisions"],
): DeliveryBoardEntry | undefined => {
  const event = recorded.event;
  if (!isDeliveryEvent(event)) return doc;
  const at = recorded.metadata.occurredAt;
  const orderId = doc === undefined ? event.data.orderId : doc.orderId;
  let status: DeliveryBoardEntry["status"] = doc === undefined ? "awaiting_courier" : doc.status;
  let courierId = doc === undefined ? null : doc.courierId;
  let requestedAt = doc === undefined ? at : doc.requestedAt;
  let assignedAt = doc === undefined ? null : doc.assignedAt;
  // A document written before windows existed has none: unknown, as a v1 assignment's.
  let window = doc?.window ?? null;
  let failureReason = doc === undefined ? null : doc.failureReason;
  let cancellationReason = doc === undefined ? null : doc.cancellationReason;
  switch (event.type) {
    case "DeliveryRequested":
      break;
    case "CourierAssigned":
      status = "assigned";
      courierId = event.data.courierId;
      assignedAt = at;
      window = event.data.window;
      break;
    case "DeliveryPickedUp":
      status = "picked_up";
      courierId = event.data.courierId;
      break;
    case "DeliveryCompleted":
      status = "completed";
      break;
    case "DeliveryFailed":
      status = "failed";
      failureReason = event.data.reason;
      break;
    case "DeliveryRescheduled":
    case "DeliveryRerequested":
      // Back on the list as a new request would be: it waits from now, with no courier.
      status = "awaiting_courier";
      courierId = null;
      requestedAt = at;
      assignedAt = null;
      window = null;
      break;
    case "DeliveryCancelled":
      status = "cancelled";
      cancellationReason = event.data.reason;
      break;
  }
  return {
    orderId,
    status,
    courierId,
    requestedAt,
    assignedAt,
    window,
    failureReason,
    cancellationReason,
    revisions,
    updatedAt: at,
  };
};

/** Deliveries no courier has yet, the longest waiting first; one group. */
export const AWAITING_COURIER = "awaiting";
/** Deliveries a courier has and still has to carry (assigned or picked up); one group. */
export const ACTIVE_DELIVERIES = "active";
/** Deliveries that failed and wait for someone to ask again (or the sweep), oldest change first. */
export const FAILED_DELIVERIES = "failed";

export const deliveryBoardProjection: Projection<DeliveryBoardEntry> = {
  name: "delivery-board",
  // 2: cancelled deliveries and their reason.
  // 3: revisions in documents are decimal strings (64-bit revisions).
  // 4: the awaiting and active indexes (a rebuild writes their entries).
  // 5: the failed index.
  // 6: each delivery's window.
  version: 6,
  categories: [Category.Delivery],
  codec: DeliveryBoardEntry,
  keysOf: ({ event }) => (isDeliveryEvent(event) ? [event.data.orderId] : []),
  apply: idempotentWhole(applyToBoard),
  indexes: {
    [AWAITING_COURIER]: (d) =>
      d.status === "awaiting_courier"
        ? { group: AWAITING_COURIER, sort: instantSortKey(d.requestedAt) }
        : undefined,
    [ACTIVE_DELIVERIES]: (d) =>
      d.courierId !== null && isActive(d.status)
        ? { group: ACTIVE_DELIVERIES, sort: instantSortKey(d.requestedAt) }
        : undefined,
    [FAILED_DELIVERIES]: (d) =>
      d.status === "failed"
        ? { group: FAILED_DELIVERIES, sort: instantSortKey(d.updatedAt) }
        : undefined,
  },
};

const byRequest = oldestFirst<DeliveryBoardEntry>(
  (d) => d.requestedAt,
  (d) => d.orderId,
);

/** Deliveries no courier has yet, the longest waiting first. */
export const awaitingCourier = (
  docs: Iterable<DeliveryBoardEntry>,
): ReadonlyArray<DeliveryBoardEntry> =>
  [...docs].filter((d) => d.status === "awaiting_courier").sort(byRequest);

/** Each courier's deliveries still to carry (assigned or picked up), couriers by id. */
export const deliveriesByCourier = (
  docs: Iterable<DeliveryBoardEntry>,
): ReadonlyMap<CourierId, ReadonlyArray<DeliveryBoardEntry>> => {
  const active = [...docs]
    .filter(
      (d): d is DeliveryBoardEntry & { courierId: CourierId } =>
        d.courierId !== null && isActive(d.status),
    )
    .sort(byRequest);
  const couriers = [...new Set(active.map((d) => d.courierId))].sort();
  return new Map(couriers.map((c) => [c, active.filter((d) => d.courierId === c)]));
};
