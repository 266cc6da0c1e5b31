import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IsoInstant } from "../shared/codecs.js";
import { latest } from "./instants.js";

/** `latest` as it was, by the date parser alone. */
const referenceLatest = (a: IsoInstant, b: IsoInstant): IsoInstant =>
  Date.parse(b) > Date.parse(a) ? b : a;

const canonical = fc
  .date({ min: new Date("0000-01-01T00:00:00.000Z"), max: new Date("9999-12-31T23:59:59.999Z") })
  .filter((d) => !Number.isNaN(d.getTime()))
  .map((d) => d.toISOString());
// The same instants written otherwise: without milliseconds, with offsets, beyond year 9999.
const otherwise = fc.oneof(
  canonical.map((s) => s.replace(".000Z", "Z")),
  canonical.map((s) => `${s.slice(0, 19)}+01:00`),
  canonical.map((s) => `${s.slice(0, 23)}-02:30`),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);
/** The instant, or one near it: a digit of its milliseconds or seconds changed, or zoned. */
const near = (s: string) =>
  fc.constantFrom(
    s,
    `${s.slice(0, 22)}${(Number(s[22]) + 1) % 10}Z`,
    `${s.slice(0, 18)}${(Number(s[18]) + 9) % 10}${s.slice(19)}`,
    `${s.slice(0, 19)}+00:00`,
    `${s.slice(0, 19)}Z`,
  );
const pairs = canonical
  .chain((s) => fc.tuple(near(s), near(s)))
  .map(([a, b]) => [a as IsoInstant, b as IsoInstant] as const);
const instant = fc.oneof(canonical, otherwise).map((s) => s as IsoInstant);

describe("latest", () => {
  it("picks what the date parser would", () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        expect(latest(a, b)).toBe(referenceLatest(a, b));
        expect(latest(a, a)).toBe(a);
      }),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        expect(latest(a, b)).toBe(referenceLatest(a, b));
      }),
      { numRuns: 5_000 },
    );
  });
});
