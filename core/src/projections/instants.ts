import { type IsoInstant, isCanonicalInstant } from "../shared/codecs.js";

const millis = (instant: IsoInstant): number => Date.parse(instant);

/**
 * The later of two instants: events of two services may carry clocks that disagree. Canonical
 * instants (nearly all) compare as strings, without the date parser.
 */
export const latest = (a: IsoInstant, b: IsoInstant): IsoInstant => {
  if (a === b) return a;
  if (isCanonicalInstant(a) && isCanonicalInstant(b)) return b > a ? b : a;
  return millis(b) > millis(a) ? b : a;
};

/** Whether more than `graceMs` has passed since `instant`. */
export const olderThan = (instant: IsoInstant, now: Date, graceMs: number): boolean =>
  now.getTime() - millis(instant) > graceMs;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders by an instant, oldest first, then by a key, so equal instants sort the same everywhere
 * (by code units: a locale's collation would differ between machines).
 */
export const oldestFirst =
  <A>(instantOf: (a: A) => IsoInstant, keyOf: (a: A) => string) =>
  (a: A, b: A): number =>
    millis(instantOf(a)) - millis(instantOf(b)) || byCodeUnits(keyOf(a), keyOf(b));

/**
 * An instant as a string that sorts as the instant does: what an index keeps (UTC, milliseconds,
 * whatever offset or precision the event was written with).
 */
export const instantSortKey = (instant: IsoInstant): string =>
  isCanonicalInstant(instant) ? instant : new Date(millis(instant)).toISOString();
