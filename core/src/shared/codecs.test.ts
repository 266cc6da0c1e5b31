import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IsoInstant, isCanonicalInstant } from "./codecs.js";

/** The IsoInstant check before canonical instants were recognised without the date parser. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const referenceIsInstant = (s: string): boolean =>
  ISO_INSTANT.test(s) && !Number.isNaN(Date.parse(s));

const pad = (n: number, width: number): string => String(n).padStart(width, "0");
/** Instants in the canonical layout with any two digits in every field, real or not. */
const canonicalLayout = fc
  .tuple(
    fc.integer({ min: 0, max: 9_999 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 99 }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(
    ([y, mo, d, h, mi, s, ms]) =>
      `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`,
  );
/** Canonical instants with one character replaced. */
const mangled = fc
  .tuple(canonicalLayout, fc.nat(23), fc.string({ minLength: 1, maxLength: 1 }))
  .map(([s, at, c]) => s.slice(0, at) + c + s.slice(at + 1));
const instants = fc.oneof(
  canonicalLayout,
  mangled,
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string(),
);

describe("IsoInstant", () => {
  it("accepts exactly what the pattern and the date parser accept", () => {
    fc.assert(
      fc.property(instants, (s) => {
        expect(IsoInstant.is(s)).toBe(referenceIsInstant(s));
        // What is recognised without the parser, the parser reads as the same instant.
        if (isCanonicalInstant(s)) expect(new Date(Date.parse(s)).toISOString()).toBe(s);
      }),
      { numRuns: 20_000 },
    );
  });

  it("knows every day of every month, leap years included", () => {
    for (const year of [0, 1, 4, 100, 400, 1900, 1970, 2000, 2024, 2026, 2100, 9999]) {
      for (let month = 0; month <= 13; month += 1) {
        for (let day = 0; day <= 32; day += 1) {
          const s = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T23:59:59.999Z`;
          expect(IsoInstant.is(s)).toBe(referenceIsInstant(s));
          if (isCanonicalInstant(s)) expect(new Date(Date.parse(s)).toISOString()).toBe(s);
        }
      }
    }
  });
});
