import * as t from "io-ts";
import { Category } from "../domain/streams.js";
import { IsoInstant, Sku } from "../shared/codecs.js";
import { Revisions } from "./document-codecs.js";
import { isStockItemEvent } from "./event-kinds.js";
import { type DomainRecordedEvent, idempotentWhole, type Projection } from "./projection.js";

/**
 * What the site shows as in stock. It trails the StockItem stream (R1): the reserve command
 * decides on the stream itself, so this view only informs, it never authorises a sale.
 */
export const Availability = t.type({
  sku: Sku,
  onHand: t.number,
  reserved: t.number,
  available: t.number,
  updatedAt: IsoInstant,
  revisions: Revisions,
});
export type Availability = t.TypeOf<typeof Availability>;

/**
 * The document after a change of counts, as one object literal: V8 builds `{ ...a, ...b }` on a
 * slow path, which cost more than everything else in a replay.
 */
const withCounts = (
  sku: Availability["sku"],
  updatedAt: Availability["updatedAt"],
  revisions: Availability["revisions"],
  onHand: number,
  reserved: number,
): Availability => ({ sku, updatedAt, revisions, onHand, reserved, available: onHand - reserved });

const applyToAvailability = (
  doc: Availability | undefined,
  recorded: DomainRecordedEvent,
  _key: string,
  revisions: Availability["revisions"],
): Availability | undefined => {
  const event = recorded.event;
  if (!isStockItemEvent(event)) return doc;
  const { sku, quantity } = event.data;
  const updatedAt = recorded.metadata.occurredAt;
  const onHand = doc?.onHand ?? 0;
  const reserved = doc?.reserved ?? 0;
  switch (event.type) {
    case "StockReceived":
      return withCounts(sku, updatedAt, revisions, onHand + quantity, reserved);
    case "StockReserved":
      return withCounts(sku, updatedAt, revisions, onHand, reserved + quantity);
    case "StockReservationReleased":
      return withCounts(sku, updatedAt, revisions, onHand, reserved - quantity);
    case "StockDispatched":
      return withCounts(sku, updatedAt, revisions, onHand - quantity, reserved - quantity);
  }
};

export const availabilityProjection: Projection<Availability> = {
  name: "availability",
  // 2: revisions in documents are decimal strings (64-bit revisions).
  version: 2,
  categories: [Category.StockItem],
  codec: Availability,
  keysOf: ({ event }) => (isStockItemEvent(event) ? [event.data.sku] : []),
  apply: idempotentWhole(applyToAvailability),
};

/** Units a buyer may still add, as far as this view knows; none for a SKU it has never seen. */
export const availableUnits = (doc: Availability | undefined): number =>
  Math.max(0, doc?.available ?? 0);
