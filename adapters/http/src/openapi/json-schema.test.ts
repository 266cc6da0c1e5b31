import {
  DeliveryAddressInput,
  domainEvents,
  MinorUnits,
  OrderId,
  Quantity,
  Sku,
} from "@mebel/core";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import * as t from "io-ts";
import { describe, expect, it } from "vitest";
import { schemaOf, withSchema } from "./codec-schemas.js";
import { toJsonSchema, UnknownCodecError } from "./json-schema.js";

const none = new Map();

describe("the io-ts to JSON Schema walker", () => {
  it("describes objects, their required and optional fields, arrays, literals and unions", () => {
    const codec = t.type({
      name: t.string,
      count: t.number,
      done: t.boolean,
      note: t.union([t.string, t.undefined]),
      tags: t.readonlyArray(t.string),
      kind: t.union([t.literal("a"), t.literal("b")]),
      state: t.keyof({ open: null, closed: null }),
      parent: t.union([t.string, t.null]),
    });
    expect(toJsonSchema(codec, none)).toEqual({
      type: "object",
      properties: {
        name: { type: "string" },
        count: { type: "number" },
        done: { type: "boolean" },
        note: { type: "string" },
        tags: { type: "array", items: { type: "string" } },
        kind: { enum: ["a", "b"] },
        state: { enum: ["open", "closed"] },
        parent: { anyOf: [{ type: "string" }, { type: "null" }] },
      },
      required: ["name", "count", "done", "tags", "kind", "state", "parent"],
    });
  });

  it("merges intersections of objects, sees through exact, partial and readonly, and records", () => {
    const codec = t.exact(
      t.intersection([
        t.type({ a: t.string }),
        t.partial({ b: t.number }),
        t.readonly(t.type({ c: t.record(t.string, t.number) })),
      ]),
    );
    expect(toJsonSchema(codec, none)).toEqual({
      type: "object",
      properties: {
        a: { type: "string" },
        b: { type: "number" },
        c: { type: "object", additionalProperties: { type: "number" } },
      },
      required: ["a", "c"],
    });
  });

  it("describes tuples with prefixItems (2020-12)", () => {
    expect(toJsonSchema(t.tuple([t.string, t.number]), none)).toEqual({
      type: "array",
      prefixItems: [{ type: "string" }, { type: "number" }],
      minItems: 2,
      maxItems: 2,
    });
  });

  it("refuses a refinement, brand or hand-made codec whose schema nobody declared", () => {
    const Even = t.refinement(t.number, (n) => n % 2 === 0, "Even");
    const Custom = new t.Type<string, string, unknown>(
      "Custom",
      t.string.is,
      t.string.validate,
      String,
    );
    expect(() => toJsonSchema(t.type({ n: Even }), none)).toThrow(UnknownCodecError);
    expect(() => toJsonSchema(t.type({ n: Even }), none)).toThrow(/\(root\)\.n \(Even\)/);
    expect(() => toJsonSchema(Custom, none)).toThrow(UnknownCodecError);
    expect(() => toJsonSchema(Sku, none)).toThrow(UnknownCodecError);
    expect(() => schemaOf(t.type({ when: t.bigint }))).toThrow(/BigIntType/);
  });

  it("uses a declared schema, or one derived from the base of a refinement", () => {
    const Odd = withSchema(
      t.refinement(t.number, (n) => n % 2 === 1, "Odd"),
      (base) => ({ ...base, description: "odd" }),
    );
    expect(schemaOf(t.type({ n: Odd, sku: Sku }))).toMatchObject({
      properties: {
        n: { type: "number", description: "odd" },
        sku: { pattern: expect.any(String) },
      },
    });
  });

  const ajv = new Ajv2020({ strict: false });
  ajv.addFormat("date-time", true);

  // The schema must accept what the codec accepts: otherwise the documents would refuse real answers.
  it("accepts every value the project's codecs accept", () => {
    const codec = t.type({ orderId: OrderId, sku: Sku, quantity: Quantity, price: MinorUnits });
    const validate = ajv.compile(schemaOf(codec));
    fc.assert(
      fc.property(
        fc.record({
          orderId: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/),
          sku: fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,63}$/),
          quantity: fc.integer({ min: -5, max: 200_000 }),
          price: fc.integer({ min: -5, max: 10_000 }),
        }),
        (value) => {
          expect(validate(value)).toBe(codec.is(value));
        },
      ),
    );
  });

  it("accepts both forms of the delivery address a client may send", () => {
    const validate = ajv.compile(schemaOf(DeliveryAddressInput));
    const structured = {
      street: "Nevsky 28",
      city: "St Petersburg",
      postalCode: "191186",
      country: "RU",
    };
    for (const input of [structured, "Nevsky 28, St Petersburg"]) {
      expect(E(DeliveryAddressInput.decode(input))).toBe(true);
      expect(validate(input)).toBe(true);
    }
  });

  it("describes every event type's data", () => {
    for (const type of domainEvents.types) {
      for (const { version, codec } of domainEvents.codecs(type)) {
        expect(() => schemaOf(codec), `${type} v${version}`).not.toThrow();
      }
    }
  });
});

const E = (decoded: { _tag: string }): boolean => decoded._tag === "Right";

describe("declaring a schema", () => {
  it("is refused for a codec the walker reads itself, which would change it everywhere", () => {
    expect(() => withSchema(t.string, { type: "string", pattern: "x" })).toThrow(/refinement/);
    expect(schemaOf(t.string)).toEqual({ type: "string" });
  });
});
