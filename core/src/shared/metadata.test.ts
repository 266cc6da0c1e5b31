import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { PathReporter } from "io-ts/lib/PathReporter.js";
import { describe, expect, it } from "vitest";
import { EventMetadata } from "./metadata.js";

/** The metadata codec as it was declared before its quick path: the reference it must match. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const ReferenceInstant = t.brand(
  t.string,
  (s): s is t.Branded<string, { readonly IsoInstant: unique symbol }> =>
    ISO_INSTANT.test(s) && !Number.isNaN(Date.parse(s)),
  "IsoInstant",
);
const Reference = t.intersection([
  t.type({ correlationId: t.string, causationId: t.string, occurredAt: ReferenceInstant }),
  t.partial({
    actor: t.string,
    actorRole: t.string,
    schemaVersion: t.number,
    traceparent: t.string,
  }),
]);

const instant = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    "2026-11-23T10:00:00.000Z",
    "2026-11-23T10:00:00Z",
    "2026-11-23T10:00:00.1+01:00",
    "2026-02-30T10:00:00.000Z",
    "2026-13-01T10:00:00.000Z",
    "2026-11-23T24:00:00.000Z",
    "2026-11-23 10:00:00.000Z",
    "",
  ),
  fc.string(),
);
const field = fc.oneof(fc.string(), fc.constant(undefined), fc.integer(), fc.constant(null));
const metadata = fc.oneof(
  fc.record(
    {
      correlationId: field,
      causationId: field,
      occurredAt: fc.oneof(instant, field),
      actor: field,
      schemaVersion: field,
      actorRole: field,
      traceparent: field,
      other: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.record({ correlationId: fc.string(), causationId: fc.string(), occurredAt: instant }),
  fc.anything(),
);

describe("EventMetadata", () => {
  it("accepts and rejects what the declared codec does, with the same value and errors", () => {
    fc.assert(
      fc.property(metadata, (input) => {
        const decoded = EventMetadata.decode(input);
        const reference = Reference.decode(input);
        expect(decoded._tag).toBe(reference._tag);
        if (E.isRight(decoded) && E.isRight(reference)) {
          expect(decoded.right).toBe(reference.right);
        }
        expect(PathReporter.report(decoded)).toEqual(PathReporter.report(reference));
      }),
      { numRuns: 2_000 },
    );
  });

  it("is checked by `is` and encoded as the declared codec does", () => {
    fc.assert(
      fc.property(metadata, (input) => {
        expect(EventMetadata.is(input)).toBe(Reference.is(input));
        if (EventMetadata.is(input) && Reference.is(input)) {
          expect(EventMetadata.encode(input)).toEqual(Reference.encode(input));
        }
      }),
      { numRuns: 500 },
    );
  });
});
