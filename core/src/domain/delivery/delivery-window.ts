import * as t from "io-ts";
import { IsoInstant } from "../../shared/codecs.js";

/**
 * When the courier will come: the slot the customer is told, from and to as instants. Shape only;
 * whether a window makes sense (from before to, not already past) the Delivery decides, so a bad
 * one is a coded refusal rather than a decoding failure.
 */
export const DeliveryWindow = t.type({ from: IsoInstant, to: IsoInstant });
export type DeliveryWindow = t.TypeOf<typeof DeliveryWindow>;

/** Why a window cannot be promised at `at`, or `undefined` when it can. */
export const windowFault = (
  window: DeliveryWindow,
  at: IsoInstant | undefined,
): "ends_before_it_starts" | "in_the_past" | undefined => {
  const from = Date.parse(window.from);
  if (from >= Date.parse(window.to)) return "ends_before_it_starts";
  if (at !== undefined && from < Date.parse(at)) return "in_the_past";
  return undefined;
};

export const sameWindow = (a: DeliveryWindow | null, b: DeliveryWindow | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    Date.parse(a.from) === Date.parse(b.from) &&
    Date.parse(a.to) === Date.parse(b.to));
