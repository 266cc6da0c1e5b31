import * as t from "io-ts";
import { Text } from "../../shared/codecs.js";

export interface CountryCodeBrand {
  readonly CountryCode: unique symbol;
}
/** ISO 3166-1 alpha-2, upper case: RU, DE, FI. */
export const CountryCode = t.brand(
  t.string,
  (s): s is t.Branded<string, CountryCodeBrand> => /^[A-Z]{2}$/.test(s),
  "CountryCode",
);
export type CountryCode = t.TypeOf<typeof CountryCode>;

export interface PostalCodeBrand {
  readonly PostalCode: unique symbol;
}
/** Letters, digits, spaces and dashes, as postal codes are written across the world. */
export const PostalCode = t.brand(
  t.string,
  (s): s is t.Branded<string, PostalCodeBrand> => /^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$/.test(s),
  "PostalCode",
);
export type PostalCode = t.TypeOf<typeof PostalCode>;

const optional = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);

/**
 * Where an order goes (OrderPlaced v2). Structured where it was given so; `line` holds what could
 * not be split: an address placed as free text, before v2 or through the deprecated string form,
 * is all `line`. Either the street, city and country are known, or the line is.
 */
export const DeliveryAddress = t.refinement(
  t.type({
    street: optional(Text),
    city: optional(Text),
    postalCode: optional(PostalCode),
    country: optional(CountryCode),
    line: optional(Text),
  }),
  (a) => (a.street !== null && a.city !== null && a.country !== null) || a.line !== null,
  "DeliveryAddress",
);
export type DeliveryAddress = t.TypeOf<typeof DeliveryAddress>;

/** A free-text address, kept whole: nothing in it is guessed into fields. */
export const addressFromLine = (line: Text): DeliveryAddress => ({
  street: null,
  city: null,
  postalCode: null,
  country: null,
  line,
});

/** The address on one line, for people: "Nevsky prospekt 28, 191186 St Petersburg, RU". */
export const formatAddress = (a: DeliveryAddress): string =>
  [a.street, [a.postalCode, a.city].filter((p) => p !== null).join(" ") || null, a.country, a.line]
    .filter((p): p is string => p !== null && p !== "")
    .join(", ");

/**
 * What a client may send: the structured address (a `line` for what does not fit is optional),
 * the address as it is stored (fields null where unknown, as the site forwards it), or, for a
 * deprecation period, the old single string.
 */
export const StructuredAddressInput = t.type({
  street: Text,
  city: Text,
  postalCode: PostalCode,
  country: CountryCode,
  line: t.union([Text, t.undefined]),
});

export const DeliveryAddressInput = new t.Type<DeliveryAddress, unknown, unknown>(
  "DeliveryAddressInput ({street, city, postalCode, country, line?} or, deprecated, a string)",
  DeliveryAddress.is,
  (u, c) => {
    if (typeof u === "string") return Text.is(u) ? t.success(addressFromLine(u)) : t.failure(u, c);
    if (typeof u !== "object" || u === null || Array.isArray(u)) return t.failure(u, c);
    if (DeliveryAddress.is(u)) return t.success(u);
    const structured = StructuredAddressInput.validate(u, c);
    if (structured._tag === "Left") return structured;
    const { street, city, postalCode, country, line } = structured.right;
    return t.success({ street, city, postalCode, country, line: line ?? null });
  },
  (a) => a,
);
