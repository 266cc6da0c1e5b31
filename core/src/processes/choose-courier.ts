import * as t from "io-ts";
import { CourierId } from "../shared/codecs.js";
import { refined } from "./refined.js";

/** A courier as reference data of the delivery context, as settings would list them. */
export const Courier = t.type({
  id: CourierId,
  name: t.string,
  /** The most deliveries the courier carries at once. */
  capacity: refined(
    "Capacity",
    (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 0,
  ),
});
export type Courier = t.TypeOf<typeof Courier>;

/**
 * The courier to give one more delivery: the least loaded of those under capacity, ties going to
 * the smallest id so the choice never depends on the order couriers are listed in. `undefined`
 * when everyone is full. `loads` counts each courier's active deliveries (missing means none).
 */
export const chooseCourier = (
  couriers: ReadonlyArray<Courier>,
  loads: Readonly<Record<string, number>>,
): CourierId | undefined => {
  const loadOf = (c: Courier): number => loads[c.id] ?? 0;
  return couriers
    .filter((c) => loadOf(c) < c.capacity)
    .reduce<Courier | undefined>(
      (best, c) =>
        best === undefined ||
        loadOf(c) < loadOf(best) ||
        (loadOf(c) === loadOf(best) && c.id < best.id)
          ? c
          : best,
      undefined,
    )?.id;
};
