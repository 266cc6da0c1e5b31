import {
  Account,
  type AccountStore,
  domainError,
  type RefreshToken,
  unsafeDecode,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import type { SchemaNames } from "./schema-name.js";
import type { SqlQuery } from "./sql-client.js";

interface AccountRow {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly roles: ReadonlyArray<string>;
  readonly password_hash: string;
  readonly disabled: boolean;
  readonly courier_id: string | null;
  readonly language: string | null;
}

interface TokenRow {
  readonly hash: string;
  readonly family: string;
  readonly account_id: string;
  readonly expires_at: Date | string;
  readonly fresh: boolean;
}

const COLUMNS = "id, email, name, roles, password_hash, disabled, courier_id, language";

/** Rows are decoded like any other stored bytes: a row that does not decode is a fault, loudly. */
const decodeAccount = (row: AccountRow): Account =>
  unsafeDecode(Account)({
    id: row.id,
    email: row.email,
    name: row.name,
    roles: row.roles,
    passwordHash: row.password_hash,
    disabled: row.disabled,
    ...(row.courier_id === null ? {} : { courierId: row.courier_id }),
    ...(row.language === null ? {} : { language: row.language }),
  });

const tokenOf = (row: TokenRow): RefreshToken => ({
  hash: row.hash,
  family: row.family,
  accountId: row.account_id as RefreshToken["accountId"],
  expiresAt: new Date(row.expires_at),
});

/** Accounts and refresh tokens as rows beside the rest of the service's state. */
export const createPostgresAccountStore = (
  client: SqlQuery,
  { quoted: s }: SchemaNames,
): AccountStore => {
  const one = async (where: string, value: string) => {
    const [row] = await client.query<AccountRow>(
      `SELECT ${COLUMNS} FROM ${s}.accounts WHERE ${where} = $1`,
      [value],
    );
    return O.map(decodeAccount)(O.fromNullable(row));
  };
  return {
    create: async (account) => {
      const [row] = await client.query<AccountRow>(
        `INSERT INTO ${s}.accounts (id, email, name, roles, password_hash, disabled, courier_id, language)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
        [
          account.id,
          account.email,
          account.name,
          [...account.roles],
          account.passwordHash,
          account.disabled,
          account.courierId ?? null,
          account.language ?? null,
        ],
      );
      return row === undefined
        ? E.left(domainError("EMAIL_TAKEN", "An account with this email exists already."))
        : E.right(decodeAccount(row));
    },
    byEmail: (email) => one("email", email),
    byId: (id) => one("id", id),
    list: async () =>
      (await client.query<AccountRow>(`SELECT ${COLUMNS} FROM ${s}.accounts ORDER BY email`)).map(
        decodeAccount,
      ),
    change: async (email, change) => {
      const [row] = await client.query<AccountRow>(
        `UPDATE ${s}.accounts SET
           roles = COALESCE($2, roles),
           disabled = COALESCE($3, disabled),
           courier_id = COALESCE($4, courier_id),
           password_hash = COALESCE($5, password_hash),
           language = COALESCE($6, language),
           updated_at = now()
         WHERE email = $1 RETURNING ${COLUMNS}`,
        [
          email,
          change.roles === undefined ? null : [...change.roles],
          change.disabled ?? null,
          change.courierId ?? null,
          change.passwordHash ?? null,
          change.language ?? null,
        ],
      );
      return row === undefined
        ? E.left(domainError("ACCOUNT_NOT_FOUND", `There is no account ${email}.`, { email }))
        : E.right(decodeAccount(row));
    },
    saveRefreshToken: async (token) => {
      await client.query(
        `INSERT INTO ${s}.refresh_tokens (hash, family, account_id, expires_at)
         VALUES ($1, $2, $3, $4)`,
        [token.hash, token.family, token.accountId, token.expiresAt.toISOString()],
      );
    },
    // One statement: of two requests racing with one token, exactly one sees it fresh.
    useRefreshToken: async (hash, now) => {
      const [row] = await client.query<TokenRow>(
        `WITH found AS (
           SELECT hash, used_at IS NULL AND NOT revoked AS fresh
             FROM ${s}.refresh_tokens WHERE hash = $1 AND expires_at > $2 FOR UPDATE
         ), spent AS (
           UPDATE ${s}.refresh_tokens t SET used_at = $2
             FROM found WHERE t.hash = found.hash AND found.fresh
         )
         SELECT t.hash, t.family, t.account_id, t.expires_at, found.fresh
           FROM ${s}.refresh_tokens t JOIN found ON found.hash = t.hash`,
        [hash, now.toISOString()],
      );
      if (row === undefined) return { kind: "unknown" };
      return { kind: row.fresh ? "fresh" : "reused", token: tokenOf(row) };
    },
    revokeFamily: async (family) => {
      await client.query(`UPDATE ${s}.refresh_tokens SET revoked = true WHERE family = $1`, [
        family,
      ]);
    },
    revokeAccountTokens: async (accountId) => {
      await client.query(`UPDATE ${s}.refresh_tokens SET revoked = true WHERE account_id = $1`, [
        accountId,
      ]);
    },
  };
};
