import type { EventStore, EventToAppend, ExpectedRevision } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { stockEvents, stockStream } from "./stock-events.js";

/** The expected revision of an append whose first event lands at `revision`. */
export const expectedBefore = (revision: number): ExpectedRevision =>
  revision === 0 ? "no_stream" : BigInt(revision - 1);

/** An append that must succeed: setup has no business losing a race. */
export const mustAppend = async (
  store: EventStore,
  streamName: string,
  events: ReadonlyArray<EventToAppend>,
  expected: ExpectedRevision,
): Promise<void> => {
  const appended = await store.append(streamName, events, expected);
  if (E.isLeft(appended)) throw new Error(`Setup append failed: ${appended.left.message}`);
};

/**
 * Events `from` up to `to` of one SKU's stream, in appends of `batch` events: one round trip per
 * batch keeps building a 100,000-event stream to seconds.
 */
export const appendStock = async (
  store: EventStore,
  sku: string,
  from: number,
  to: number,
  batch = 1_000,
): Promise<void> => {
  for (let at = from; at < to; at += batch) {
    const until = Math.min(to, at + batch);
    await mustAppend(store, stockStream(sku), stockEvents(sku, at, until), expectedBefore(at));
  }
};

/** Every SKU's stream with `events` events. */
export const seedStock = async (
  store: EventStore,
  skus: ReadonlyArray<string>,
  events: number,
): Promise<void> => {
  for (const sku of skus) await appendStock(store, sku, 0, events);
};
