import * as t from "io-ts";

/** The languages customers get mail in; an account without one gets the shop's default. */
export const Language = t.keyof({ ru: null, en: null });
export type Language = t.TypeOf<typeof Language>;
