import {
  type Account,
  type AccountError,
  type AccountStore,
  domainError,
  type RefreshToken,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";

interface KeptToken {
  readonly token: RefreshToken;
  used: boolean;
  revoked: boolean;
}

/** Accounts and refresh tokens in maps: for tests and the examples. */
export const createMemoryAccountStore = (): AccountStore => {
  const byId = new Map<string, Account>();
  const tokens = new Map<string, KeptToken>();
  const notFound = (email: string): AccountError =>
    domainError("ACCOUNT_NOT_FOUND", `There is no account ${email}.`, { email });
  const find = (email: string) => [...byId.values()].find((a) => a.email === email);
  const revokeWhere = (match: (token: RefreshToken) => boolean) => {
    for (const kept of tokens.values()) if (match(kept.token)) kept.revoked = true;
  };
  return {
    create: async (account) => {
      if (find(account.email) !== undefined || byId.has(account.id)) {
        return E.left(domainError("EMAIL_TAKEN", "An account with this email exists already."));
      }
      byId.set(account.id, account);
      return E.right(account);
    },
    byEmail: async (email) => O.fromNullable(find(email)),
    byId: async (id) => O.fromNullable(byId.get(id)),
    list: async () => [...byId.values()].sort((a, b) => (a.email < b.email ? -1 : 1)),
    change: async (email, change) => {
      const current = find(email);
      if (current === undefined) return E.left(notFound(email));
      const changed = { ...current, ...change };
      byId.set(current.id, changed);
      return E.right(changed);
    },
    saveRefreshToken: async (token) => {
      tokens.set(token.hash, { token, used: false, revoked: false });
    },
    useRefreshToken: async (hash, now) => {
      const kept = tokens.get(hash);
      if (kept === undefined || kept.token.expiresAt <= now) return { kind: "unknown" };
      if (kept.used || kept.revoked) return { kind: "reused", token: kept.token };
      kept.used = true;
      return { kind: "fresh", token: kept.token };
    },
    revokeFamily: async (family) => revokeWhere((t) => t.family === family),
    revokeAccountTokens: async (accountId) => revokeWhere((t) => t.accountId === accountId),
  };
};
