import { verifyPassword } from "@mebel/adapter-http";
import { Email, unsafeDecode } from "@mebel/core";
import * as O from "fp-ts/lib/Option.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDataDir, mebel, removeDataDirs, withInfrastructure } from "./test-world.js";

let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dir = freshDataDir();
  await withInfrastructure(dir, async () => undefined);
  env = { MEBEL_DATA_DIR: dir };
});
afterAll(removeDataDirs);

const account = (email: string) =>
  withInfrastructure(dir, async (infra) =>
    O.toUndefined(await infra.accounts.byEmail(unsafeDecode(Email)(email))),
  );

describe("mebel users", () => {
  it("adds a staff account with the password from MEBEL_USER_PASSWORD, never printed", async () => {
    const added = await mebel(
      ["users", "add", "--email", "Stock@Example.com", "--role", "warehouse", "--name", "Stock"],
      { ...env, MEBEL_USER_PASSWORD: "a long password" },
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^added stock@example\.com \(warehouse\)/);
    expect(added.stdout).not.toContain("a long password");
    const stored = await account("stock@example.com");
    expect(stored?.roles).toEqual(["warehouse"]);
    expect(await verifyPassword("a long password", stored?.passwordHash ?? "")).toBe(true);
  });

  it("makes a password and shows it once when none is given; a courier names their courier", async () => {
    const added = await mebel(
      ["users", "add", "--email", "ivan.c@example.com", "--role", "courier", "--courier", "boris"],
      env,
    );
    expect(added.code).toBe(0);
    const password = /password, shown only now: (\S+)/.exec(added.stdout)?.[1] ?? "";
    const stored = await account("ivan.c@example.com");
    expect(stored?.courierId).toBe("boris");
    expect(await verifyPassword(password, stored?.passwordHash ?? "")).toBe(true);
    const noCourier = await mebel(
      ["users", "add", "--email", "c2@example.com", "--role", "courier"],
      env,
    );
    expect(noCourier.code).toBe(1);
  });

  it("lists, sets roles and disables; refuses what it cannot do with a clear line", async () => {
    expect(
      (
        await mebel(
          [
            "users",
            "set-roles",
            "--email",
            "stock@example.com",
            "--role",
            "warehouse",
            "--role",
            "dispatcher",
          ],
          env,
        )
      ).code,
    ).toBe(0);
    expect((await account("stock@example.com"))?.roles).toEqual(["warehouse", "dispatcher"]);
    expect((await mebel(["users", "disable", "--email", "stock@example.com"], env)).code).toBe(0);
    expect((await account("stock@example.com"))?.disabled).toBe(true);
    const list = await mebel(["users", "list"], env);
    expect(list.stdout).toMatch(/stock@example\.com .*warehouse, dispatcher .*disabled/);
    expect(list.stdout).not.toMatch(/scrypt/);

    for (const [argv, code] of [
      [["users", "add", "--email", "not-an-email", "--role", "warehouse"], 2],
      [["users", "add", "--email", "x@example.com", "--role", "wizard"], 2],
      [["users", "add", "--email", "x@example.com", "--role", "customer"], 2],
      [["users", "add", "--email", "stock@example.com", "--role", "warehouse"], 1],
      [["users", "disable", "--email", "nobody@example.com"], 1],
      [["users", "set-roles", "--email", "stock@example.com"], 2],
    ] as const) {
      const out = await mebel([...argv], env);
      expect(out.code, argv.join(" ")).toBe(code);
      expect(out.stderr).toMatch(/^mebel: .+\n$/);
    }
    const short = await mebel(["users", "add", "--email", "y@example.com", "--role", "catalog"], {
      ...env,
      MEBEL_USER_PASSWORD: "secret7",
    });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("MEBEL_USER_PASSWORD");
    expect(short.stderr).not.toContain("secret7");
  });
});
