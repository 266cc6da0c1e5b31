import * as t from "io-ts";
import { OrderLineRef } from "../domain/order/events.js";
import { Category } from "../domain/streams.js";
import { IsoInstant, OrderId } from "../shared/codecs.js";
import { nullable, Revisions } from "./document-codecs.js";
import { isOrderEvent } from "./event-kinds.js";
import { instantSortKey, oldestFirst } from "./instants.js";
import { withLine, withoutLine } from "./lines.js";
import { type DomainRecordedEvent, idempotentWhole, type Projection } from "./projection.js";

/**
 * Where an order is on the warehouse floor: `to_process` once placed, `processing` while it is
 * picked and assembled, `assembled` while it waits for the courier, then `done` or `cancelled`.
 * A draft is not work yet, but its document exists so its lines are known when it is placed.
 */
export const WarehouseStage = t.keyof({
  draft: null,
  to_process: null,
  processing: null,
  assembled: null,
  done: null,
  cancelled: null,
});
export type WarehouseStage = t.TypeOf<typeof WarehouseStage>;

export const WarehouseQueueEntry = t.type({
  orderId: OrderId,
  stage: WarehouseStage,
  /** The picking list: what to take off the shelves. */
  lines: t.readonlyArray(OrderLineRef),
  placedAt: nullable(IsoInstant),
  updatedAt: IsoInstant,
  revisions: Revisions,
});
export type WarehouseQueueEntry = t.TypeOf<typeof WarehouseQueueEntry>;

/**
 * The next document, built whole as one object literal (copies by spread cost a replay most of
 * its time); its keys in the order the documents have always had.
 */
const applyToQueue = (
  doc: WarehouseQueueEntry | undefined,
  recorded: DomainRecordedEvent,
  _key: string,
  revisions: WarehouseQueueEntry["revisions"],
): WarehouseQueueEntry | undefined => {
  const event = recorded.event;
  if (!isOrderEvent(event)) return doc;
  const updatedAt = recorded.metadata.occurredAt;
  const orderId = doc === undefined ? event.data.orderId : doc.orderId;
  let stage: WarehouseStage = doc === undefined ? "draft" : doc.stage;
  let lines: WarehouseQueueEntry["lines"] = doc === undefined ? [] : doc.lines;
  let placedAt: WarehouseQueueEntry["placedAt"] = doc === undefined ? null : doc.placedAt;
  switch (event.type) {
    case "OrderItemAdded": {
      const { lineId, sku, quantity } = event.data;
      lines = withLine(lines, { lineId, sku, quantity });
      break;
    }
    case "OrderItemRemoved":
      lines = withoutLine(lines, event.data.lineId);
      break;
    case "OrderPlaced":
      stage = "to_process";
      placedAt = updatedAt;
      break;
    case "OrderProcessingStarted":
      stage = "processing";
      break;
    case "OrderAssembled":
      stage = "assembled";
      break;
    case "OrderHandedToCourier":
      stage = "done";
      break;
    case "OrderCancelled":
      stage = "cancelled";
      break;
    case "OrderCreated":
    case "OrderLineAbandoned":
      break;
  }
  return { orderId, stage, lines, placedAt, revisions, updatedAt };
};

/** Open work (placed, not yet handed over or cancelled), the longest placed first; one group. */
export const OPEN_WORK = "open";

export const warehouseQueueProjection: Projection<WarehouseQueueEntry> = {
  name: "warehouse-queue",
  // 2: revisions in documents are decimal strings (64-bit revisions).
  // 3: the open-work index (a rebuild writes its entries).
  version: 3,
  categories: [Category.Order],
  codec: WarehouseQueueEntry,
  keysOf: ({ event }) => (isOrderEvent(event) ? [event.data.orderId] : []),
  apply: idempotentWhole(applyToQueue),
  indexes: {
    [OPEN_WORK]: (d) =>
      openStages.has(d.stage) && d.placedAt !== null
        ? { group: OPEN_WORK, sort: instantSortKey(d.placedAt) }
        : undefined,
  },
};

export type OpenStage = Extract<WarehouseStage, "to_process" | "processing" | "assembled">;
const openStages: ReadonlySet<WarehouseStage> = new Set<OpenStage>([
  "to_process",
  "processing",
  "assembled",
]);

/** The warehouse's open work, the longest placed first; optionally only one stage of it. */
export const openWarehouseWork = (
  docs: Iterable<WarehouseQueueEntry>,
  stage?: OpenStage,
): ReadonlyArray<WarehouseQueueEntry> =>
  [...docs]
    .filter(
      (d): d is WarehouseQueueEntry & { placedAt: IsoInstant } =>
        (stage === undefined ? openStages.has(d.stage) : d.stage === stage) && d.placedAt !== null,
    )
    .sort(
      oldestFirst(
        (d) => d.placedAt,
        (d) => d.orderId,
      ),
    );
