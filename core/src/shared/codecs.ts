import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import * as t from "io-ts";
import { PathReporter } from "io-ts/lib/PathReporter.js";

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** A string id under its own brand, so an OrderId can never be passed where a LineId is meant. */
const idCodec = <B extends { readonly [K in N]: symbol }, N extends string>(name: N) =>
  t.brand(t.string, (s): s is t.Branded<string, B> => ID_PATTERN.test(s), name);

export interface OrderIdBrand {
  readonly OrderId: unique symbol;
}
export const OrderId = idCodec<OrderIdBrand, "OrderId">("OrderId");
export type OrderId = t.TypeOf<typeof OrderId>;

export interface LineIdBrand {
  readonly LineId: unique symbol;
}
export const LineId = idCodec<LineIdBrand, "LineId">("LineId");
export type LineId = t.TypeOf<typeof LineId>;

export interface CustomerIdBrand {
  readonly CustomerId: unique symbol;
}
export const CustomerId = idCodec<CustomerIdBrand, "CustomerId">("CustomerId");
export type CustomerId = t.TypeOf<typeof CustomerId>;

export interface CourierIdBrand {
  readonly CourierId: unique symbol;
}
export const CourierId = idCodec<CourierIdBrand, "CourierId">("CourierId");
export type CourierId = t.TypeOf<typeof CourierId>;

const SKU_PATTERN = /^[A-Z0-9][A-Z0-9-]{0,63}$/;
export interface SkuBrand {
  readonly Sku: unique symbol;
}
/** Upper-case letters, digits and dashes: `SOFA-OSLO-3`. */
export const Sku = t.brand(
  t.string,
  (s): s is t.Branded<string, SkuBrand> => SKU_PATTERN.test(s),
  "Sku",
);
export type Sku = t.TypeOf<typeof Sku>;

export const MAX_QUANTITY = 100_000;
export interface QuantityBrand {
  readonly Quantity: unique symbol;
}
/** A whole number of units, 1 to MAX_QUANTITY. */
export const Quantity = t.brand(
  t.Int,
  (n): n is t.Branded<t.Int, QuantityBrand> => n > 0 && n <= MAX_QUANTITY,
  "Quantity",
);
export type Quantity = t.TypeOf<typeof Quantity>;

export interface MinorUnitsBrand {
  readonly MinorUnits: unique symbol;
}
/** Money as a whole number of minor units (cents); the shop has one currency. */
export const MinorUnits = t.brand(
  t.Int,
  (n): n is t.Branded<t.Int, MinorUnitsBrand> => n >= 0 && Number.isSafeInteger(n),
  "MinorUnits",
);
export type MinorUnits = t.TypeOf<typeof MinorUnits>;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The digit at `i`, or NaN: NaN spoils every sum and comparison it enters. */
const digitAt = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
};
const twoDigitsAt = (s: string, i: number): number => digitAt(s, i) * 10 + digitAt(s, i + 1);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (year: number, month: number): number =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
    ? 29
    : (DAYS_IN_MONTH[month - 1] ?? 0);

/**
 * Whether `s` is a real instant written exactly as `Date.prototype.toISOString` writes one
 * (`2026-11-23T10:00:00.000Z`, years 0000 to 9999), as every instant the shop makes is. Such a
 * string is an IsoInstant without asking the date parser, which costs several times more; and
 * such strings sort as their instants do.
 */
export const isCanonicalInstant = (s: string): boolean => {
  if (
    s.length !== 24 ||
    s.charCodeAt(4) !== 45 || // -
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(13) !== 58 || // :
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 || // .
    s.charCodeAt(23) !== 90 || // Z
    !(twoDigitsAt(s, 20) * 10 + digitAt(s, 22) >= 0)
  ) {
    return false;
  }
  const year = twoDigitsAt(s, 0) * 100 + twoDigitsAt(s, 2);
  const month = twoDigitsAt(s, 5);
  const day = twoDigitsAt(s, 8);
  return (
    year >= 0 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    twoDigitsAt(s, 11) <= 23 &&
    twoDigitsAt(s, 14) <= 59 &&
    twoDigitsAt(s, 17) <= 59
  );
};

export interface IsoInstantBrand {
  readonly IsoInstant: unique symbol;
}
/**
 * An ISO-8601 instant with a zone, e.g. `2026-11-23T10:00:00.000Z`: the pattern, and a date the
 * parser accepts. The canonical form, by far the most common, is recognised without either.
 */
export const IsoInstant = t.brand(
  t.string,
  (s): s is t.Branded<string, IsoInstantBrand> =>
    isCanonicalInstant(s) || (ISO_INSTANT.test(s) && !Number.isNaN(Date.parse(s))),
  "IsoInstant",
);
export type IsoInstant = t.TypeOf<typeof IsoInstant>;
export const isoInstant = (d: Date): IsoInstant => d.toISOString() as IsoInstant;

export interface TextBrand {
  readonly Text: unique symbol;
}
/** Free text a person typed: not blank, at most 500 characters. */
export const Text = t.brand(
  t.string,
  (s): s is t.Branded<string, TextBrand> => s.trim().length > 0 && s.length <= 500,
  "Text",
);
export type Text = t.TypeOf<typeof Text>;

/** One failing field of a decode: where it is and what was expected there. */
export interface FieldError {
  readonly path: string;
  readonly expected: string;
}

/**
 * Each failing field once, by where it is. The members of an intersection are one object's
 * fields, not fields of their own: their index is no part of a path, and a value every member
 * refuses (a missing body) is one failing field.
 */
export const fieldErrors = (errors: t.Errors): ReadonlyArray<FieldError> => {
  const byPath = new Map<string, FieldError>();
  for (const e of errors) {
    const path = e.context
      .filter((c, i) => c.key !== "" && !(e.context[i - 1]?.type instanceof t.IntersectionType))
      .map((c) => c.key)
      .join(".");
    const expected = e.context[e.context.length - 1]?.type.name ?? "unknown";
    const key = path === "" ? "(root)" : path;
    if (!byPath.has(key)) byPath.set(key, { path: key, expected });
  }
  return [...byPath.values()];
};

/** Decodes or throws with a readable report; for fixtures and trusted literals only. */
export const unsafeDecode =
  <A, O>(codec: t.Type<A, O, unknown>) =>
  (input: unknown): A =>
    pipe(
      codec.decode(input),
      E.getOrElseW((errors) => {
        throw new TypeError(PathReporter.report(E.left(errors)).join("\n"));
      }),
    );
