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
export interface IsoInstantBrand {
  readonly IsoInstant: unique symbol;
}
/** An ISO-8601 instant with a zone, e.g. `2026-11-23T10:00:00.000Z`. */
export const IsoInstant = t.brand(
  t.string,
  (s): s is t.Branded<string, IsoInstantBrand> =>
    ISO_INSTANT.test(s) && !Number.isNaN(Date.parse(s)),
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

export const fieldErrors = (errors: t.Errors): ReadonlyArray<FieldError> =>
  errors.map((e) => {
    const path = e.context
      .map((c) => c.key)
      .filter((k) => k !== "")
      .join(".");
    const expected = e.context[e.context.length - 1]?.type.name ?? "unknown";
    return { path: path === "" ? "(root)" : path, expected };
  });

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
