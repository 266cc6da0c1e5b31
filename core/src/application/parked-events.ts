import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import type { Position } from "../events/recorded-event.js";
import type { ReadModelStore } from "../ports/read-model-store.js";

/**
 * An event an operator chose to step over for one subscriber, and why: the way past a poison
 * event (one no codec can read, or one its handler cannot get past) when fixing the code is not
 * the answer. Kept beside the subscriber's checkpoint; nothing is ever skipped without one.
 */
export const ParkedEvent = t.type({
  /** The event's global position, in decimal: JSON has no bigint. */
  position: t.string,
  reason: t.string,
  by: t.string,
  at: t.string,
});
export type ParkedEvent = t.TypeOf<typeof ParkedEvent>;

/** Where a subscriber's parked events are kept, beside its own documents. */
export const parkedModelName = (subscriber: string): string => `parked.${subscriber}`;

/** Positions of the events parked for `subscriber`; a record that does not decode is not one. */
export const loadParked = async (
  readModels: ReadModelStore,
  subscriber: string,
): Promise<ReadonlyArray<ParkedEvent>> =>
  (await readModels.list(parkedModelName(subscriber))).flatMap(({ doc }) => {
    const parked = ParkedEvent.decode(doc);
    return E.isRight(parked) ? [parked.right] : [];
  });

/**
 * Records that `subscriber` is to step over the event at `position`. The running subscriber reads
 * the list when it (re)starts: after parking, restart the service that runs it.
 */
export const parkEvent = (
  readModels: ReadModelStore,
  subscriber: string,
  parked: {
    readonly position: Position;
    readonly reason: string;
    readonly by: string;
    readonly at: Date;
  },
): Promise<void> => {
  const doc: ParkedEvent = {
    position: parked.position.toString(),
    reason: parked.reason,
    by: parked.by,
    at: parked.at.toISOString(),
  };
  return readModels.commit(
    parkedModelName(subscriber),
    new Map([[doc.position, ParkedEvent.encode(doc)]]),
    parked.position,
  );
};
