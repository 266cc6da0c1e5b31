import { Email, unsafeDecode } from "@mebel/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApps, type TestApps } from "./test-apps.js";
import { call } from "./test-process.js";

let world: TestApps;
beforeAll(async () => {
  world = await startTestApps();
});
afterAll(() => world?.close());

let n = 0;
const newEmail = () => `person-${Date.now()}-${n++}@example.com`;
const password = "correct horse battery";

const cookieOf = (headers: Headers): string => {
  const set = headers.get("set-cookie") ?? "";
  const value = /mebel_refresh=([^;]*)/.exec(set)?.[1];
  if (value === undefined) throw new Error(`no refresh cookie in ${set}`);
  return `mebel_refresh=${value}`;
};

const register = async (email = newEmail()) => {
  const res = await call("POST", `${world.urls.site}/auth/register`, {
    email,
    password,
    name: "Nina",
  });
  return { res, email };
};
const login = (email: string, pass = password, headers: Record<string, string> = {}) =>
  call("POST", `${world.urls.site}/auth/login`, { email, password: pass }, headers);
const refresh = (cookie: string, headers: Record<string, string> = {}) =>
  call("POST", `${world.urls.site}/auth/refresh`, undefined, { cookie, ...headers });

describe("the embedded issuer", () => {
  it("signs a customer up and in: a bearer token, a refresh cookie only scripts cannot read, and who they are", async () => {
    const { res, email } = await register(`  Nina.${Date.now()}@Example.com `);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ tokenType: "Bearer", expiresIn: 300 });
    const set = res.headers.get("set-cookie") ?? "";
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Path=\/auth/i);
    const me = await call("GET", `${world.urls.site}/auth/me`, undefined, {
      authorization: `Bearer ${res.body.accessToken}`,
    });
    expect(me.body).toMatchObject({
      email: email.trim().toLowerCase(),
      name: "Nina",
      roles: ["customer"],
    });
    expect(me.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await register(email)).res.status).toBe(409);
  });

  it("answers a wrong password and an unknown account alike", async () => {
    const { email } = await register();
    const wrong = await login(email, "not the password");
    const unknown = await login(newEmail(), "not the password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect((await login(email)).status).toBe(200);
  });

  it("rotates the refresh token, and a reused one revokes the whole family", async () => {
    const { email } = await register();
    const first = cookieOf((await login(email)).headers);
    const rotated = await refresh(first);
    expect(rotated.status).toBe(200);
    expect(rotated.body.accessToken).toBeTypeOf("string");
    const second = cookieOf(rotated.headers);
    expect(second).not.toBe(first);
    // The first was spent: whoever shows it again holds a copy. Both copies die.
    const reused = await refresh(first);
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe("INVALID_REFRESH_TOKEN");
    expect((await refresh(second)).status).toBe(401);
    // Another sign-in starts a new family.
    expect((await refresh(cookieOf((await login(email)).headers))).status).toBe(200);
  });

  it("ends the session at logout, and a disabled account's refresh token at once", async () => {
    const { email } = await register();
    const cookie = cookieOf((await login(email)).headers);
    const out = await call("POST", `${world.urls.site}/auth/logout`, undefined, { cookie });
    expect(out.status).toBe(204);
    expect((await refresh(cookie)).status).toBe(401);

    const other = cookieOf((await login(email)).headers);
    await world.accounts.change(unsafeDecode(Email)(email), { disabled: true });
    expect((await refresh(other)).status).toBe(401);
    expect((await login(email)).status).toBe(401);
  });

  it("refuses the cookie routes to another site's page (CSRF)", async () => {
    const { email } = await register();
    const cookie = cookieOf((await login(email)).headers);
    const forged = await refresh(cookie, {
      origin: "https://evil.example",
      "sec-fetch-site": "cross-site",
    });
    expect(forged.status).toBe(403);
    expect((await refresh(cookie, { origin: world.urls.site })).status).toBe(200);
  });

  it("serves its public keys, and never a private part", async () => {
    const jwks = await call("GET", `${world.urls.site}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256" });
    expect(jwks.body.keys[0]).not.toHaveProperty("d");
  });

  it("opens the live feed once per single-use ticket", async () => {
    const { res } = await register();
    const bearer = { authorization: `Bearer ${res.body.accessToken}` };
    const me = await call("GET", `${world.urls.site}/auth/me`, undefined, bearer);
    const ticket = await call("POST", `${world.urls.site}/auth/ticket`, undefined, bearer);
    expect(ticket.status).toBe(201);
    const feed = `${world.urls.site}/customers/${me.body.id}/events?ticket=${ticket.body.ticket}`;
    const controller = new AbortController();
    const opened = await fetch(feed, { signal: controller.signal });
    expect(opened.status).toBe(200);
    controller.abort();
    expect((await fetch(feed)).status).toBe(401);
  });
});

describe("sign-in limits", () => {
  let limited: TestApps;
  beforeAll(async () => {
    limited = await startTestApps({ signInsPerMinute: 9 });
  });
  afterAll(() => limited?.close());

  it("turn away guessing at one account before the address's allowance is spent", async () => {
    const attempt = (email: string) =>
      call("POST", `${limited.urls.site}/auth/login`, { email, password: "guess" });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await attempt("olga@example.com")).status);
    // Five per account a minute (a third of nine, at least five): the sixth is turned away.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Another account from the same address still has the address's allowance, up to nine.
    const more: number[] = [];
    for (let i = 0; i < 4; i += 1) more.push((await attempt(`x${i}@example.com`)).status);
    expect(more).toEqual([401, 401, 401, 429]);
  });
});
