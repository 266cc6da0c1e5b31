import { Account } from "../ports/accounts.js";
import { unsafeDecode } from "../shared/codecs.js";

/**
 * A customer's account as the mail tests need it: signed up, mailed at `<id>@example.com` unless
 * told otherwise, with a password hash of the right shape that no password matches.
 */
export const customerAccount = (
  id: string,
  options: {
    readonly email?: string;
    readonly name?: string;
    readonly disabled?: boolean;
    readonly language?: string;
  } = {},
): Account =>
  unsafeDecode(Account)({
    id,
    email: options.email ?? `${id}@example.com`,
    name: options.name ?? id,
    roles: ["customer"],
    passwordHash: "scrypt$1$1$1$x$y",
    disabled: options.disabled ?? false,
    ...(options.language === undefined ? {} : { language: options.language }),
  });
