import { Email, Language } from "@mebel/core";
import * as t from "io-ts";

/** An email as typed: spaces and capitals do not make another person. */
export const TypedEmail = new t.Type<Email, string, unknown>(
  "Email",
  Email.is,
  (u, c) => (typeof u === "string" ? Email.validate(u.trim().toLowerCase(), c) : t.failure(u, c)),
  (e) => e,
);

export const Password = t.refinement(
  t.string,
  (s) => s.length >= 8 && s.length <= 256,
  "Password of 8 to 256 characters",
);

const PersonName = t.refinement(
  t.string,
  (s) => s.trim().length > 0 && s.length <= 100,
  "Name of 1 to 100 characters",
);

export const Registration = t.intersection([
  t.strict({ email: TypedEmail, password: Password, name: PersonName }),
  /** The language of their e-mail; the shop's default when not given. */
  t.exact(t.partial({ language: Language })),
]);
/** Any string is looked up: a password that could never be set is simply wrong. */
export const Credentials = t.strict({
  email: t.string,
  password: t.refinement(t.string, (s) => s.length <= 256, "Password"),
});
