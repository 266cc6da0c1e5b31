import {
  CountryCode,
  CourierId,
  CustomerId,
  DeliveryAddress,
  DeliveryAddressInput,
  Email,
  IsoInstant,
  LineId,
  MAX_QUANTITY,
  MinorUnits,
  OrderId,
  PageCursor,
  PostalCode,
  ProductName,
  Quantity,
  RevisionText,
  Sku,
  Text,
} from "@mebel/core";
import * as t from "io-ts";
import {
  type DeclaredSchema,
  type JsonSchema,
  type SchemaRegistry,
  toJsonSchema,
} from "./json-schema.js";

const id = (what: string): JsonSchema => ({
  type: "string",
  pattern: "^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$",
  description: `${what}: 1 to 100 letters, digits and ._:-`,
});

const structuredAddress: JsonSchema = {
  type: "object",
  properties: {
    street: { type: "string", minLength: 1, maxLength: 500 },
    city: { type: "string", minLength: 1, maxLength: 500 },
    postalCode: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$" },
    country: { type: "string", pattern: "^[A-Z]{2}$" },
    line: { type: ["string", "null"], minLength: 1, maxLength: 500 },
  },
};

/**
 * The schemas of the codecs whose rules the walker cannot read (brands, refinements, hand-made
 * types). Filled here for core's codecs, and beside its codec for an app's own (`withSchema`).
 */
const declared = new Map<t.Any, DeclaredSchema>([
  [t.Int, { type: "integer" }],
  [OrderId, id("order id")],
  [LineId, id("line id")],
  [CustomerId, id("customer id")],
  [CourierId, id("courier id")],
  [Sku, { type: "string", pattern: "^[A-Z0-9][A-Z0-9-]{0,63}$", examples: ["SOFA-OSLO-3"] }],
  [Quantity, { type: "integer", minimum: 1, maximum: MAX_QUANTITY }],
  [
    MinorUnits,
    {
      type: "integer",
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: "money, in minor units (cents) of the shop's one currency",
    },
  ],
  [IsoInstant, { type: "string", format: "date-time", examples: ["2026-11-23T10:00:00.000Z"] }],
  [
    RevisionText,
    {
      type: "string",
      pattern: "^(0|[1-9][0-9]*)$",
      description: "a stream revision, as decimal text (JSON numbers stop at 2^53)",
    },
  ],
  [
    PageCursor,
    {
      type: "string",
      pattern: "^[A-Za-z0-9_-]+$",
      description: "opaque: the `next` of the page before, or its Link header's",
    },
  ],
  [Text, { type: "string", minLength: 1, maxLength: 500, description: "not blank" }],
  [ProductName, { type: "string", minLength: 1, maxLength: 200, description: "not blank" }],
  [Email, { type: "string", format: "email", maxLength: 254, description: "lower case" }],
  [CountryCode, { type: "string", pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2" }],
  [PostalCode, { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$" }],
  [
    DeliveryAddress,
    (base) => ({
      ...base,
      description: "street, city and country are known, or the line is (each other field null)",
    }),
  ],
  [
    DeliveryAddressInput,
    {
      anyOf: [
        { ...structuredAddress, required: ["street", "city", "postalCode", "country"] },
        { type: "string", minLength: 1, maxLength: 500, deprecated: true },
      ],
      description:
        "the structured address (a `line` for what does not fit is optional) or, deprecated, one string",
    },
  ],
]);

/** Codecs the walker reads by itself; declaring one would change every use of it, everywhere. */
const READABLE = new Set(["RefinementType", undefined]);

/** Declares the wire schema of a codec the walker cannot see into, beside the codec itself. */
export const withSchema = <C extends t.Any>(codec: C, schema: DeclaredSchema): C => {
  const tag = (codec as unknown as { _tag?: string })._tag;
  if (!READABLE.has(tag)) {
    throw new Error(
      `${codec.name}: only a refinement or a hand-made codec takes a declared schema`,
    );
  }
  declared.set(codec, schema);
  return codec;
};

/** A count or a 64-bit log position written as a string of digits (JSON numbers stop at 2^53). */
export const Digits = withSchema(
  t.refinement(t.string, (s) => /^\d+$/.test(s), "Digits"),
  (base) => ({ ...base, pattern: "^\\d+$", description: "a whole number, as a string" }),
);

export const codecSchemas = (): SchemaRegistry => declared;

/** The schema of a codec with every declaration known so far. */
export const schemaOf = (codec: t.Any): JsonSchema => toJsonSchema(codec, declared);
