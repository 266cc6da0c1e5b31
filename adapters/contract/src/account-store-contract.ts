import { randomUUID } from "node:crypto";
import { Account, type AccountStore, CustomerId, unsafeDecode } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import { expect, it } from "vitest";

const newAccount = (roles: ReadonlyArray<string> = ["customer"]) => {
  const id = randomUUID();
  return unsafeDecode(Account)({
    id,
    email: `u-${id.slice(0, 8)}@example.com`,
    name: "Contract Customer",
    roles,
    passwordHash: "scrypt$test",
    disabled: false,
  });
};

const token = (accountId: string, family = randomUUID(), expiresInMs = 60_000) => ({
  hash: randomUUID(),
  family,
  accountId: unsafeDecode(CustomerId)(accountId),
  expiresAt: new Date(Date.now() + expiresInMs),
});

/** The cases every AccountStore passes, inside a describe block of the caller's. */
export const accountStoreCases = (store: () => AccountStore): void => {
  it("creates an account once per email, and finds it by email and by id", async () => {
    const account = newAccount();
    expect(await store().create(account)).toEqual(E.right(account));
    const again = await store().create({ ...account, id: unsafeDecode(CustomerId)(randomUUID()) });
    expect(E.isLeft(again) && again.left.code).toBe("EMAIL_TAKEN");
    expect(await store().byEmail(account.email)).toEqual(O.some(account));
    expect(await store().byId(account.id)).toEqual(O.some(account));
    expect((await store().list()).map((a) => a.email)).toContain(account.email);
  });

  it("changes roles and disables, and says when there is no such account", async () => {
    const account = newAccount();
    await store().create(account);
    const changed = await store().change(account.email, { roles: ["warehouse"], disabled: true });
    expect(changed).toEqual(E.right({ ...account, roles: ["warehouse"], disabled: true }));
    const missing = await store().change(newAccount().email, { disabled: true });
    expect(E.isLeft(missing) && missing.left.code).toBe("ACCOUNT_NOT_FOUND");
  });

  it("spends a refresh token once: its second use is a reuse, an unknown or expired one is unknown", async () => {
    const account = newAccount();
    await store().create(account);
    const t = token(account.id);
    await store().saveRefreshToken(t);
    const now = new Date();
    expect(await store().useRefreshToken(t.hash, now)).toEqual({ kind: "fresh", token: t });
    expect(await store().useRefreshToken(t.hash, now)).toEqual({ kind: "reused", token: t });
    expect(await store().useRefreshToken(randomUUID(), now)).toEqual({ kind: "unknown" });
    const old = token(account.id, randomUUID(), -1_000);
    await store().saveRefreshToken(old);
    expect(await store().useRefreshToken(old.hash, now)).toEqual({ kind: "unknown" });
  });

  it("lets one of two racing uses of a token win", async () => {
    const account = newAccount();
    await store().create(account);
    const t = token(account.id);
    await store().saveRefreshToken(t);
    const uses = await Promise.all(
      [1, 2, 3].map(() => store().useRefreshToken(t.hash, new Date())),
    );
    expect(uses.filter((u) => u.kind === "fresh")).toHaveLength(1);
  });

  it("revokes a whole family, and every token of an account", async () => {
    const account = newAccount();
    await store().create(account);
    const family = randomUUID();
    const [a, b, c] = [token(account.id, family), token(account.id, family), token(account.id)];
    for (const t of [a, b, c]) await store().saveRefreshToken(t);
    await store().revokeFamily(family);
    expect((await store().useRefreshToken(b.hash, new Date())).kind).toBe("reused");
    expect((await store().useRefreshToken(c.hash, new Date())).kind).toBe("fresh");
    const d = token(account.id);
    await store().saveRefreshToken(d);
    await store().revokeAccountTokens(account.id);
    expect((await store().useRefreshToken(d.hash, new Date())).kind).toBe("reused");
  });
};
