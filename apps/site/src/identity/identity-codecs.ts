import { withSchema } from "@mebel/adapter-http";
import { Email, Language } from "@mebel/core";
import * as t from "io-ts";

/** An email as typed: spaces and capitals do not make another person. */
export const TypedEmail = withSchema(
  new t.Type<Email, string, unknown>(
    "Email",
    Email.is,
    (u, c) => (typeof u === "string" ? Email.validate(u.trim().toLowerCase(), c) : t.failure(u, c)),
    (e) => e,
  ),
  {
    type: "string",
    maxLength: 254,
    description: "an email address; spaces and capitals are ignored",
  },
);

export const Password = withSchema(
  t.refinement(
    t.string,
    (s) => s.length >= 8 && s.length <= 256,
    "Password of 8 to 256 characters",
  ),
  { type: "string", minLength: 8, maxLength: 256, format: "password" },
);

const PersonName = withSchema(
  t.refinement(
    t.string,
    (s) => s.trim().length > 0 && s.length <= 100,
    "Name of 1 to 100 characters",
  ),
  { type: "string", minLength: 1, maxLength: 100, description: "not blank" },
);

const TypedPassword = withSchema(
  t.refinement(t.string, (s) => s.length <= 256, "Password"),
  { type: "string", maxLength: 256, format: "password" },
);

export const Registration = t.intersection([
  t.strict({ email: TypedEmail, password: Password, name: PersonName }),
  /** The language of their e-mail; the shop's default when not given. */
  t.exact(t.partial({ language: Language })),
]);
/** Any string is looked up: a password that could never be set is simply wrong. */
export const Credentials = t.strict({
  email: t.string,
  password: TypedPassword,
});
