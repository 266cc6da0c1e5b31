import type { Either } from "fp-ts/lib/Either.js";
import type { Option } from "fp-ts/lib/Option.js";
import * as t from "io-ts";
import { Language } from "../notifications/language.js";
import { CourierId, CustomerId } from "../shared/codecs.js";
import type { DomainError } from "../shared/domain-error.js";
import { Role } from "../shared/roles.js";

export interface EmailBrand {
  readonly Email: unique symbol;
}
/** An address as people type it, kept lower-case so that one person cannot sign up twice. */
export const Email = t.brand(
  t.string,
  (s): s is t.Branded<string, EmailBrand> =>
    s.length <= 254 && s === s.trim().toLowerCase() && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s),
  "Email",
);
export type Email = t.TypeOf<typeof Email>;

/**
 * An account of a person: a customer who signed up, or staff added by an admin. Its id is the
 * `sub` of its tokens and, for a customer, the `customerId` of their orders.
 */
export const Account = t.intersection([
  t.type({
    id: CustomerId,
    email: Email,
    name: t.string,
    roles: t.readonlyArray(Role),
    /** `scrypt$<N>$<r>$<p>$<salt>$<hash>`, never the password. */
    passwordHash: t.string,
    disabled: t.boolean,
  }),
  t.partial({
    /** The courier of the delivery context this account signs in as. */
    courierId: CourierId,
    /** The language their e-mail is written in; the shop's default when absent. */
    language: Language,
  }),
]);
export type Account = t.TypeOf<typeof Account>;

export type AccountError = DomainError<"EMAIL_TAKEN" | "ACCOUNT_NOT_FOUND">;

export interface AccountChange {
  readonly roles?: ReadonlyArray<Role>;
  readonly disabled?: boolean;
  readonly courierId?: CourierId;
  readonly passwordHash?: string;
  readonly language?: Language;
}

/** One refresh token as kept: only its hash, the family of rotations it belongs to, and when. */
export interface RefreshToken {
  readonly hash: string;
  readonly family: string;
  readonly accountId: CustomerId;
  readonly expiresAt: Date;
}

/**
 * What using a refresh token found: `fresh` (now spent: the caller gets its successor), `reused`
 * (spent before, or its family revoked: a copy is in someone else's hands), or nothing known.
 */
export type RefreshUse =
  | { readonly kind: "fresh"; readonly token: RefreshToken }
  | { readonly kind: "reused"; readonly token: RefreshToken }
  | { readonly kind: "unknown" };

/** Accounts and their refresh tokens, in the same store as everything else. */
export interface AccountStore {
  readonly create: (account: Account) => Promise<Either<AccountError, Account>>;
  readonly byEmail: (email: Email) => Promise<Option<Account>>;
  readonly byId: (id: CustomerId) => Promise<Option<Account>>;
  readonly list: () => Promise<ReadonlyArray<Account>>;
  readonly change: (email: Email, change: AccountChange) => Promise<Either<AccountError, Account>>;
  readonly saveRefreshToken: (token: RefreshToken) => Promise<void>;
  /** Spends the token in one step, so two requests racing with one token cannot both win. */
  readonly useRefreshToken: (hash: string, now: Date) => Promise<RefreshUse>;
  readonly revokeFamily: (family: string) => Promise<void>;
  readonly revokeAccountTokens: (accountId: CustomerId) => Promise<void>;
}
