import * as t from "io-ts";
import { isActive } from "../domain/delivery/delivery.js";
import { Category } from "../domain/streams.js";
import { CourierId, IsoInstant, OrderId, Text } from "../shared/codecs.js";
import { nullable, Revisions } from "./document-codecs.js";
import { isDeliveryEvent } from "./event-kinds.js";
import { oldestFirst } from "./instants.js";
import { type DomainRecordedEvent, idempotent, type Projection } from "./projection.js";

const BoardStatus = t.keyof({
  awaiting_courier: null,
  assigned: null,
  picked_up: null,
  completed: null,
  failed: null,
});

/** One delivery on the dispatcher's board. */
export const DeliveryBoardEntry = t.type({
  orderId: OrderId,
  status: BoardStatus,
  courierId: nullable(CourierId),
  requestedAt: IsoInstant,
  assignedAt: nullable(IsoInstant),
  failureReason: nullable(Text),
  updatedAt: IsoInstant,
  revisions: Revisions,
});
export type DeliveryBoardEntry = t.TypeOf<typeof DeliveryBoardEntry>;

const applyToBoard = (
  doc: DeliveryBoardEntry | undefined,
  recorded: DomainRecordedEvent,
): DeliveryBoardEntry | undefined => {
  const event = recorded.event;
  if (!isDeliveryEvent(event)) return doc;
  const at = recorded.metadata.occurredAt;
  const entry: DeliveryBoardEntry = {
    ...(doc ?? {
      orderId: event.data.orderId,
      status: "awaiting_courier",
      courierId: null,
      requestedAt: at,
      assignedAt: null,
      failureReason: null,
      revisions: {},
    }),
    updatedAt: at,
  };
  switch (event.type) {
    case "DeliveryRequested":
      return entry;
    case "CourierAssigned":
      return { ...entry, status: "assigned", courierId: event.data.courierId, assignedAt: at };
    case "DeliveryPickedUp":
      return { ...entry, status: "picked_up", courierId: event.data.courierId };
    case "DeliveryCompleted":
      return { ...entry, status: "completed" };
    case "DeliveryFailed":
      return { ...entry, status: "failed", failureReason: event.data.reason };
  }
};

export const deliveryBoardProjection: Projection<DeliveryBoardEntry> = {
  name: "delivery-board",
  version: 1,
  categories: [Category.Delivery],
  codec: DeliveryBoardEntry,
  keysOf: ({ event }) => (isDeliveryEvent(event) ? [event.data.orderId] : []),
  apply: idempotent(applyToBoard),
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
