import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Router } from "express";
import * as E from "fp-ts/lib/Either.js";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApp, finishHttpApp, type Listening, listen } from "../app.js";
import { createLogger } from "../logger.js";
import { createTestIssuer, TEST_AUDIENCE, TEST_ISSUER, type TestIssuer } from "../testing.js";
import { guardedRoutes } from "./guarded-routes.js";
import { newSigningKey } from "./signing-key.js";
import { createTokenVerifier } from "./token-verifier.js";

const logger = createLogger("auth-test", "silent");
let issuer: TestIssuer;
let server: Listening;
let writes = 0;

const claims = { roles: ["catalog"] };
const signed = (alg: string, kid?: string) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg, ...(kid === undefined ? {} : { kid }) })
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setSubject("cat-1");

beforeAll(async () => {
  issuer = await createTestIssuer();
  const app = createHttpApp({ logger });
  const router = Router();
  const routes = guardedRoutes(router, "catalog", issuer.guard);
  routes.get("/products", (_req, res) => {
    res.json([]);
  });
  routes.post("/products", (_req, res) => {
    writes += 1;
    res.status(201).json({ ok: true });
  });
  app.use(router);
  finishHttpApp(app, logger);
  server = await listen(app, 0);
});
afterAll(() => server.close());

const create = (headers: Record<string, string>) =>
  fetch(`${server.url}/products`, { method: "POST", headers });

describe("the token verifier in front of a route", () => {
  it("lets a valid token in the right role through, and anyone to a public route", async () => {
    expect((await create(await issuer.bearer("cat-1", ["catalog"]))).status).toBe(201);
    expect((await create(await issuer.bearer("root", ["admin"]))).status).toBe(201);
    expect((await fetch(`${server.url}/products`)).status).toBe(200);
  });

  it("answers 401 with the Bearer challenge when there is no token", async () => {
    const res = await create({});
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="mebel"');
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("answers 403 to a valid token without the role", async () => {
    const res = await create(await issuer.bearer("olga", ["customer"]));
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBe(
      'Bearer realm="mebel", error="insufficient_scope"',
    );
    expect(((await res.json()) as { code: string }).code).toBe("FORBIDDEN");
  });

  it("refuses forged and broken tokens with 401 invalid_token, and writes nothing", async () => {
    const now = Math.floor(Date.now() / 1000);
    const other = await newSigningKey();
    const publicJwk = issuer.key.jwks.keys[0];
    const publicAsSecret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const [header, payload] = (await issuer.token("cat-1", ["catalog"])).split(".");
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const forged: Record<string, string> = {
      "alg none": `${b64({ alg: "none", typ: "JWT" })}.${payload}.`,
      "HS256 with the public key": await signed("HS256", issuer.key.kid).sign(publicAsSecret),
      "another key, our kid": await signed("ES256", issuer.key.kid).sign(other.privateKey),
      "another key": await signed("ES256", other.kid).sign(other.privateKey),
      expired: await signed("ES256", issuer.key.kid)
        .setExpirationTime(now - 3600)
        .sign(issuer.key.privateKey),
      "not yet valid": await signed("ES256", issuer.key.kid)
        .setNotBefore(now + 3600)
        .setExpirationTime(now + 7200)
        .sign(issuer.key.privateKey),
      "no expiry": await signed("ES256", issuer.key.kid).sign(issuer.key.privateKey),
      "wrong iss": await signed("ES256", issuer.key.kid)
        .setIssuer("urn:someone-else")
        .setExpirationTime("5m")
        .sign(issuer.key.privateKey),
      "wrong aud": await signed("ES256", issuer.key.kid)
        .setAudience("urn:another-api")
        .setExpirationTime("5m")
        .sign(issuer.key.privateKey),
      "tampered payload": `${header}.${b64({ sub: "cat-1", roles: ["admin"], iss: TEST_ISSUER, aud: TEST_AUDIENCE, exp: now + 60 })}.${"A".repeat(86)}`,
      garbage: "not-a-token",
    };
    const before = writes;
    for (const [what, token] of Object.entries(forged)) {
      const res = await create({ authorization: `Bearer ${token}` });
      expect(res.status, what).toBe(401);
      expect(res.headers.get("www-authenticate"), what).toBe(
        'Bearer realm="mebel", error="invalid_token"',
      );
    }
    expect((await create({ authorization: "Basic dXNlcjpwYXNz" })).status).toBe(401);
    expect(writes).toBe(before);
  });

  it("accepts a token a few seconds from its expiry or its nbf, within the clock skew", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signed("ES256", issuer.key.kid)
      .setNotBefore(now + 5)
      .setExpirationTime(now - 5)
      .sign(issuer.key.privateKey);
    expect((await create({ authorization: `Bearer ${token}` })).status).toBe(201);
  });
});

describe("a remote JWKS", () => {
  let jwksServer: Server;
  let url: string;
  let served: object;
  let fetches = 0;

  beforeAll(async () => {
    served = { keys: [] };
    jwksServer = createServer((_req, res) => {
      fetches += 1;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(served));
    });
    await new Promise<void>((done) => jwksServer.listen(0, "127.0.0.1", done));
    url = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((done) => jwksServer.close(() => done())));

  it("is cached, and fetched again when a token names a key it does not hold", async () => {
    const first = await newSigningKey();
    served = first.jwks;
    const verify = createTokenVerifier({
      keys: { kind: "remote", url, refetchCooldownMs: 0 },
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      algorithms: ["ES256", "HS256"],
      rolesClaim: "roles",
    });
    const token = (key: typeof first) =>
      signed("ES256", key.kid).setExpirationTime("5m").sign(key.privateKey);
    expect(E.isRight(await verify(await token(first)))).toBe(true);
    expect(E.isRight(await verify(await token(first)))).toBe(true);
    expect(fetches).toBe(1);
    // The issuer rotates: the new kid is unknown until the set is fetched again.
    const second = await newSigningKey();
    served = { keys: [...first.jwks.keys, ...second.jwks.keys] };
    const rotated = await verify(await token(second));
    expect(E.isRight(rotated) && rotated.right).toMatchObject({ sub: "cat-1", roles: ["catalog"] });
    expect(fetches).toBe(2);
  });

  it("says unavailable, not invalid, when the keys cannot be fetched", async () => {
    const verify = createTokenVerifier({
      keys: { kind: "remote", url: "http://127.0.0.1:9/jwks.json" },
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      algorithms: ["ES256"],
      rolesClaim: "roles",
    });
    const key = await newSigningKey();
    const token = await signed("ES256", key.kid).setExpirationTime("5m").sign(key.privateKey);
    const outcome = await verify(token);
    expect(E.isLeft(outcome) && outcome.left.kind).toBe("unavailable");
  });
});

describe("a token verified once", () => {
  it("is taken again without its signature checked, but never past its expiry", async () => {
    let clock = Date.now();
    const verify = createTokenVerifier({
      keys: { kind: "local", jwks: issuer.key.jwks },
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      algorithms: ["ES256"],
      rolesClaim: "roles",
      clockToleranceSeconds: 0,
      now: () => clock,
    });
    const seconds = Math.floor(clock / 1000);
    const token = await signed("ES256", issuer.key.kid)
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + 10)
      .sign(issuer.key.privateKey);
    expect(E.isRight(await verify(token))).toBe(true);
    expect(E.isRight(await verify(token))).toBe(true);
    clock += 11_000;
    expect(await verify(token)).toEqual(E.left({ kind: "invalid", reason: "JWTExpired" }));
  });

  it("is checked again after a minute, even while it is still valid", async () => {
    let clock = Date.now();
    let fetched = 0;
    const verify = createTokenVerifier({
      keys: { kind: "local", jwks: issuer.key.jwks },
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      algorithms: ["ES256"],
      rolesClaim: "roles",
      now: () => {
        fetched += 1;
        return clock;
      },
    });
    const seconds = Math.floor(clock / 1000);
    const token = await signed("ES256", issuer.key.kid)
      .setExpirationTime(seconds + 600)
      .sign(issuer.key.privateKey);
    await verify(token);
    const afterFirst = fetched;
    await verify(token);
    // Answered from what it remembered: one look at the clock, no verification's.
    expect(fetched - afterFirst).toBe(1);
    clock += 61_000;
    await verify(token);
    expect(fetched - afterFirst).toBeGreaterThan(2);
  });

  it("is never a refused one: a token that failed is checked afresh", async () => {
    const verify = createTokenVerifier({
      keys: { kind: "local", jwks: issuer.key.jwks },
      issuer: TEST_ISSUER,
      audience: "someone-else",
      algorithms: ["ES256"],
      rolesClaim: "roles",
    });
    const token = await issuer.token("cat-1", ["catalog"]);
    expect(E.isLeft(await verify(token))).toBe(true);
    expect(E.isLeft(await verify(token))).toBe(true);
  });
});
