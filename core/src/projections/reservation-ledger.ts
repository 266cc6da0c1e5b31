import * as t from "io-ts";
import type { DomainEvent } from "../domain/events.js";
import { ReleaseReason } from "../domain/stock-item/events.js";
import { Category } from "../domain/streams.js";
import { IsoInstant, LineId, OrderId, Quantity, Sku } from "../shared/codecs.js";
import { nullable, Revisions } from "./document-codecs.js";
import { olderThan, oldestFirst } from "./instants.js";
import { type DomainRecordedEvent, idempotentWhole, type Projection } from "./projection.js";

/** What the StockItem stream last said about the line's units. */
const StockFact = t.keyof({ none: null, reserved: null, released: null, dispatched: null });
type StockFact = t.TypeOf<typeof StockFact>;

/** What the Order stream last said about the line. */
const LineFact = t.keyof({
  none: null,
  added: null,
  removed: null,
  abandoned: null,
  cancelled: null,
  handed_over: null,
});
type LineFact = t.TypeOf<typeof LineFact>;

/**
 * Where a reservation stands. `reserved`: units held, no order line yet (normal for a moment,
 * an orphan if it lasts). `attached`: held for a line of the order. `removed`, `abandoned`,
 * `cancelled`: held for a line that is gone, release pending. `released`, `dispatched`: settled.
 * `unreserved`: the order spoke of the line before its reservation was seen.
 */
export const ReservationState = t.keyof({
  reserved: null,
  attached: null,
  removed: null,
  abandoned: null,
  cancelled: null,
  released: null,
  dispatched: null,
  unreserved: null,
});
export type ReservationState = t.TypeOf<typeof ReservationState>;

/**
 * One order line's reservation, told by two streams whose events may come in either order, so
 * each stream's last word is kept and the state is derived from both. Line ids are unique across
 * orders (minted fresh for every add), which is what lets one document stand for one line.
 */
export const ReservationEntry = t.type({
  lineId: LineId,
  orderId: OrderId,
  /** `null` only while all that is known is an abandoned line id. */
  sku: nullable(Sku),
  quantity: nullable(Quantity),
  reservedAt: nullable(IsoInstant),
  stock: StockFact,
  line: LineFact,
  state: ReservationState,
  releaseReason: nullable(ReleaseReason),
  /** When the entry entered its current state: how long an orphan has been one. */
  since: IsoInstant,
  updatedAt: IsoInstant,
  revisions: Revisions,
});
export type ReservationEntry = t.TypeOf<typeof ReservationEntry>;

const stateOf = (stock: StockFact, line: LineFact): ReservationState => {
  if (stock === "released" || stock === "dispatched") return stock;
  if (stock === "none") return "unreserved";
  switch (line) {
    case "none":
      return "reserved";
    case "added":
    case "handed_over":
      return "attached";
    default:
      return line;
  }
};

const lineIdsOf = (event: DomainEvent): ReadonlyArray<LineId> => {
  switch (event.type) {
    case "StockReceived":
    case "OrderCreated":
    case "OrderPlaced":
    case "OrderProcessingStarted":
    case "OrderAssembled":
    case "DeliveryRequested":
    case "CourierAssigned":
    case "DeliveryPickedUp":
    case "DeliveryCompleted":
    case "DeliveryFailed":
    case "DeliveryRescheduled":
    case "DeliveryRerequested":
    case "DeliveryCancelled":
      return [];
    case "OrderCancelled":
    case "OrderHandedToCourier":
      return event.data.lines.map((l) => l.lineId);
    default:
      return [event.data.lineId];
  }
};

/** The order side knows the quantity too, but the reservation's is what is held. */
const orderQuantity = (event: DomainEvent, key: string): Quantity | null => {
  switch (event.type) {
    case "OrderItemAdded":
    case "OrderItemRemoved":
      return event.data.quantity;
    case "OrderCancelled":
    case "OrderHandedToCourier":
      return event.data.lines.find((l) => l.lineId === key)?.quantity ?? null;
    default:
      return null;
  }
};

/**
 * The next document, built whole as one object literal (copies by spread cost a replay most of
 * its time); its keys in the order they have always had. Each event sets what it says about the
 * line (the line `key`, for events about several) and leaves the rest as it was.
 */
const applyToLedger = (
  doc: ReservationEntry | undefined,
  recorded: DomainRecordedEvent,
  key: string,
  revisions: ReservationEntry["revisions"],
): ReservationEntry | undefined => {
  const event = recorded.event;
  if (event.type === "StockReceived") return doc;
  const at = recorded.metadata.occurredAt;
  const lineId = doc === undefined ? (key as LineId) : doc.lineId;
  const orderId = doc === undefined ? event.data.orderId : doc.orderId;
  let sku = doc === undefined ? null : doc.sku;
  let quantity = doc === undefined ? null : doc.quantity;
  let reservedAt = doc === undefined ? null : doc.reservedAt;
  let stock: StockFact = doc === undefined ? "none" : doc.stock;
  let line: LineFact = doc === undefined ? "none" : doc.line;
  let releaseReason = doc === undefined ? null : doc.releaseReason;
  const current: ReservationState = doc === undefined ? "unreserved" : doc.state;
  switch (event.type) {
    case "StockReserved":
      stock = "reserved";
      sku = event.data.sku;
      quantity = event.data.quantity;
      reservedAt = at;
      releaseReason = null;
      break;
    case "StockReservationReleased":
      stock = "released";
      releaseReason = event.data.reason;
      break;
    case "StockDispatched":
      stock = "dispatched";
      break;
    case "OrderItemAdded":
      line = "added";
      sku = event.data.sku;
      break;
    case "OrderItemRemoved":
      line = "removed";
      break;
    case "OrderLineAbandoned":
      line = "abandoned";
      break;
    case "OrderCancelled":
    case "OrderHandedToCourier": {
      line = event.type === "OrderCancelled" ? "cancelled" : "handed_over";
      const ref = event.data.lines.find((l) => l.lineId === key);
      if (ref !== undefined) sku = ref.sku;
      break;
    }
  }
  quantity ??= orderQuantity(event, key);
  const state = stateOf(stock, line);
  return {
    lineId,
    orderId,
    sku,
    quantity,
    reservedAt,
    stock,
    line,
    state,
    releaseReason,
    since: state === current ? (doc === undefined ? at : doc.since) : at,
    updatedAt: at,
    revisions,
  };
};

export const reservationLedgerProjection: Projection<ReservationEntry> = {
  name: "reservation-ledger",
  // 2: revisions in documents are decimal strings (64-bit revisions).
  version: 2,
  categories: [Category.StockItem, Category.Order],
  codec: ReservationEntry,
  keysOf: ({ event }) => lineIdsOf(event),
  apply: idempotentWhole(applyToLedger),
};

/** Units held for a line that is not (or no longer) on its order. */
const holdsUnattached = (entry: ReservationEntry): entry is ReservationEntry & { sku: Sku } =>
  entry.stock === "reserved" && entry.sku !== null && entry.state !== "attached";

/** Names one line's reservation: what the orphan sweep acts on. */
export interface ReservationRef {
  readonly sku: Sku;
  readonly orderId: OrderId;
  readonly lineId: LineId;
}

/**
 * Reservations holding units for no order line for longer than the grace: the adding process
 * died between reserving and adding, or a release after a removal or cancellation never came.
 * The sweep fences each line (AbandonLine) and releases it; both are idempotent.
 */
export const findOrphanedReservations = (
  docs: Iterable<ReservationEntry>,
  now: Date,
  graceMs: number,
): ReadonlyArray<ReservationRef> =>
  [...docs]
    .filter(holdsUnattached)
    .filter((entry) => olderThan(entry.since, now, graceMs))
    .sort(
      oldestFirst(
        (entry) => entry.since,
        (entry) => entry.lineId,
      ),
    )
    .map(({ sku, orderId, lineId }) => ({ sku, orderId, lineId }));

/** The reservations of one order, oldest first. */
export const reservationsOfOrder = (
  docs: Iterable<ReservationEntry>,
  orderId: string,
): ReadonlyArray<ReservationEntry> =>
  [...docs]
    .filter((entry) => entry.orderId === orderId)
    .sort(
      oldestFirst(
        (entry) => entry.reservedAt ?? entry.since,
        (entry) => entry.lineId,
      ),
    );
