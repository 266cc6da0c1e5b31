import { appendedAt } from "@mebel/adapter-http/testing";
import { mailPreferencesStream } from "@mebel/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerAccount } from "../../../core/src/test-support/accounts.js";
import { startTestApps, type TestApps } from "./test-apps.js";
import { call } from "./test-process.js";

let world: TestApps;
let olga: Record<string, string>;
let ivan: Record<string, string>;
beforeAll(async () => {
  world = await startTestApps();
  for (const id of ["olga", "ivan"]) {
    await world.accounts.create(customerAccount(id));
  }
  olga = await world.issuer.bearer("olga", ["customer"]);
  ivan = await world.issuer.bearer("ivan", ["customer"]);
});
afterAll(() => world?.close());

const path = (who: string) => `${world.urls.site}/customers/${who}/mail-preferences`;

describe("a customer's mail preferences", () => {
  it("start with every kind on and no language chosen", async () => {
    const answer = await call("GET", path("olga"), undefined, olga);
    expect(answer.status).toBe(200);
    expect(answer.body.language).toBeNull();
    expect(Object.values(answer.body.kinds).every((on) => on === true)).toBe(true);
    expect(Object.keys(answer.body.kinds)).toHaveLength(7);
  });

  it("turning a kind off is an event in their own stream; turning it off again is not", async () => {
    const off = { kinds: { assembled: false }, language: "en" };
    const answer = await call("POST", path("olga"), off, olga);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      language: "en",
      kinds: { assembled: false, placed: true },
    });
    const again = await call("POST", path("olga"), off, olga);
    const stream = await world.store.readStream(mailPreferencesStream("olga" as never));
    expect(stream.map((e) => [e.type, e.data])).toEqual([
      ["EmailPreferenceChanged", { customerId: "olga", kind: "assembled", enabled: false }],
    ]);
    // Where the change landed, as every command answer says it; the same again changed nothing.
    expect(answer.body.position).toBe(String(stream[0]?.position));
    expect(appendedAt(answer)).toBe(answer.body.position);
    expect(again.headers.get("mebel-position")).toBeNull();
    expect(again.body).not.toHaveProperty("position");
    expect((await call("GET", path("olga"), undefined, olga)).body.kinds.assembled).toBe(false);
  });

  it("refuses another customer, and anything that is not a known kind or language", async () => {
    expect((await call("GET", path("olga"), undefined, ivan)).status).toBe(403);
    expect((await call("POST", path("olga"), { kinds: { placed: false } }, ivan)).status).toBe(403);
    expect((await call("GET", path("olga"))).status).toBe(401);
    for (const bad of [{ language: "de" }, { kinds: { placed: "no" } }, { kinds: [] }]) {
      const answer = await call("POST", path("ivan"), bad, ivan);
      expect(answer.status).toBe(400);
      expect(answer.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await world.store.readStream(mailPreferencesStream("ivan" as never))).toEqual([]);
  });
});
