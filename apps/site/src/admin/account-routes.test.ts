import { Writable } from "node:stream";
import { createLogger } from "@mebel/adapter-http";
import { createMemoryAccountStore } from "@mebel/adapter-memory";
import { type Account, CustomerId, Email, unsafeDecode } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { beforeAll, describe, expect, it } from "vitest";
import { useSiteFixture } from "../test-support/site-fixture.js";

const accounts = createMemoryAccountStore();
const logLines: Array<Record<string, unknown>> = [];
const logger = createLogger(
  "site-test",
  "info",
  new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  }),
);
const shop = useSiteFixture(() => ({ accounts, logger }));

const account = (id: string, roles: Account["roles"], extra: Partial<Account> = {}): Account => ({
  id: unsafeDecode(CustomerId)(id),
  email: unsafeDecode(Email)(`${id}@example.com`),
  name: id,
  roles,
  passwordHash: "scrypt$16384$8$1$c2FsdA$aGFzaA",
  disabled: false,
  ...extra,
});

beforeAll(async () => {
  for (const a of [
    account("boss", ["admin"]),
    account("olga", ["customer"]),
    account("petr", ["warehouse"]),
    ...Array.from({ length: 5 }, (_, i) => account(`zz-${i}`, ["customer"])),
  ]) {
    expect(E.isRight(await accounts.create(a))).toBe(true);
  }
});

const asAdmin = async () => shop().issuer.bearer("boss", ["admin"]);
const call = async (method: string, path: string, body?: unknown) =>
  shop().request(method, path, body, await asAdmin());

describe("the admin's account routes", () => {
  it("lists accounts by email, a page at a time, without their password hashes", async () => {
    const first = await call("GET", "/admin/accounts?limit=3");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 8, offset: 0, limit: 3 });
    expect(first.body.accounts.map((a: { email: string }) => a.email)).toEqual([
      "boss@example.com",
      "olga@example.com",
      "petr@example.com",
    ]);
    expect(JSON.stringify(first.body)).not.toContain("scrypt");
    const last = await call("GET", "/admin/accounts?offset=6&limit=3");
    expect(last.body.accounts.map((a: { id: string }) => a.id)).toEqual(["zz-3", "zz-4"]);
    expect((await call("GET", "/admin/accounts?limit=0")).status).toBe(400);
    expect((await call("GET", "/admin/accounts?limit=101")).status).toBe(400);
  });

  it("replaces an account's roles, ends its sessions, and logs who changed what", async () => {
    await accounts.saveRefreshToken({
      hash: "olga-refresh",
      family: "f1",
      accountId: unsafeDecode(CustomerId)("olga"),
      expiresAt: new Date(Date.now() + 60_000),
    });
    const changed = await call("POST", "/admin/accounts/olga/roles", {
      roles: ["customer", "catalog"],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: "olga", roles: ["customer", "catalog"] });
    expect((await accounts.useRefreshToken("olga-refresh", new Date())).kind).toBe("reused");
    const audit = logLines.find((l) => l.audit === "account.roles");
    expect(audit).toMatchObject({
      by: "boss",
      account: "olga",
      before: { roles: ["customer"] },
      after: { roles: ["customer", "catalog"] },
    });
    expect(JSON.stringify(logLines)).not.toContain("scrypt");
  });

  it("disables and enables an account, each logged", async () => {
    const off = await call("POST", "/admin/accounts/petr/disable");
    expect(off.body).toMatchObject({ id: "petr", disabled: true });
    const on = await call("POST", "/admin/accounts/petr/enable", {});
    expect(on.body).toMatchObject({ id: "petr", disabled: false });
    expect(logLines.filter((l) => l.by === "boss").map((l) => l.audit)).toEqual(
      expect.arrayContaining(["account.disable", "account.enable"]),
    );
  });

  it("will not let an admin lock themselves out", async () => {
    const demoted = await call("POST", "/admin/accounts/boss/roles", { roles: ["warehouse"] });
    expect(demoted.status).toBe(409);
    expect(demoted.body.code).toBe("SELF_LOCKOUT");
    expect((await call("POST", "/admin/accounts/boss/disable")).body.code).toBe("SELF_LOCKOUT");
    expect(O_roles(await accounts.byId(unsafeDecode(CustomerId)("boss")))).toEqual(["admin"]);
    // Another admin's role is theirs to change.
    expect((await call("POST", "/admin/accounts/zz-0/roles", { roles: ["admin"] })).status).toBe(
      200,
    );
  });

  it("refuses bad input with problems and changes nothing", async () => {
    for (const [path, body] of [
      ["/admin/accounts/olga/roles", { roles: [] }],
      ["/admin/accounts/olga/roles", { roles: ["customer", "customer"] }],
      ["/admin/accounts/olga/roles", { roles: ["system"] }],
      ["/admin/accounts/olga/roles", { roles: "admin" }],
      ["/admin/accounts/olga/disable", { now: true }],
      ["/admin/accounts/not%20an%20id/disable", undefined],
    ] as const) {
      const answer = await call("POST", path, body);
      expect(answer.status, path).toBe(400);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
    }
    const courier = await call("POST", "/admin/accounts/olga/roles", { roles: ["courier"] });
    expect(courier).toMatchObject({ status: 422, body: { code: "COURIER_ID_REQUIRED" } });
    expect((await call("POST", "/admin/accounts/nobody/disable")).status).toBe(404);
    expect(O_roles(await accounts.byId(unsafeDecode(CustomerId)("olga")))).toEqual([
      "customer",
      "catalog",
    ]);
  });

  it("answers no one but an admin", async () => {
    for (const roles of [["customer"], ["warehouse"], ["dispatcher"]] as const) {
      const headers = await shop().issuer.bearer("someone", roles);
      expect((await shop().request("GET", "/admin/accounts", undefined, headers)).status).toBe(403);
      const change = await shop().request(
        "POST",
        "/admin/accounts/olga/roles",
        { roles: ["admin"] },
        headers,
      );
      expect(change.status).toBe(403);
    }
    const anonymous = await fetch(`${shop().url}/admin/accounts`);
    expect(anonymous.status).toBe(401);
  });
});

const O_roles = (found: { _tag: string; value?: Account }) =>
  found._tag === "Some" ? found.value?.roles : undefined;
