import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "@mebel/adapter-http";
import {
  type Account,
  type AccountError,
  type AccountStore,
  CourierId,
  CustomerId,
  Email,
  type Role,
  unsafeDecode,
} from "@mebel/core";
import type * as E from "fp-ts/lib/Either.js";

export interface NewAccount {
  readonly email: Email;
  readonly name: string;
  readonly roles: ReadonlyArray<Role>;
  readonly password: string;
  readonly courierId?: CourierId;
  /** A chosen id (the demo's `olga`); a fresh UUID otherwise. */
  readonly id?: string;
}

/** An account with its password hashed: what the CLI and the demo seed make. */
export const addAccount = async (
  accounts: AccountStore,
  account: NewAccount,
): Promise<E.Either<AccountError, Account>> =>
  accounts.create({
    id: unsafeDecode(CustomerId)(account.id ?? randomUUID()),
    email: account.email,
    name: account.name,
    roles: account.roles,
    passwordHash: await hashPassword(account.password),
    disabled: false,
    ...(account.courierId === undefined ? {} : { courierId: account.courierId }),
  });

/** A password for someone to change: 16 random bytes, as 22 URL-safe characters. */
export const generatedPassword = (): string => randomBytes(16).toString("base64url");

const email = unsafeDecode(Email);

/** The embedded demo's people: two customers and one account per staff role. */
export const demoAccounts = (courierId: string): ReadonlyArray<Omit<NewAccount, "password">> => [
  { id: "olga", email: email("olga@example.com"), name: "Olga", roles: ["customer"] },
  { id: "ivan", email: email("ivan@example.com"), name: "Ivan", roles: ["customer"] },
  { email: email("warehouse@example.com"), name: "Warehouse", roles: ["warehouse"] },
  { email: email("dispatcher@example.com"), name: "Dispatcher", roles: ["dispatcher"] },
  {
    email: email("courier@example.com"),
    name: "Courier",
    roles: ["courier"],
    courierId: unsafeDecode(CourierId)(courierId),
  },
  { email: email("catalog@example.com"), name: "Catalog", roles: ["catalog"] },
  { email: email("admin@example.com"), name: "Admin", roles: ["admin"] },
];
