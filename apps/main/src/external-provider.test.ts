import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AllInOne, call, startAllInOne } from "./test-process.js";
import { initialiseCluster } from "./test-support/data-dir.js";

/**
 * The services against an OpenID Connect provider of their own: a JWKS server in this test with
 * an RS256 key only it holds, tokens shaped as Keycloak makes them (roles in realm_access.roles).
 */
const ISSUER = "https://sso.test/realms/shop";
const AUDIENCE = "mebel";

describe("an external OpenID Connect provider, by settings", () => {
  let jwksServer: Server;
  let app: AllInOne;
  let sign: (sub: string, roles: ReadonlyArray<string>) => Promise<string>;
  let otherKey: Awaited<ReturnType<typeof generateKeyPair>>;
  const dataDir = mkdtempSync(join(tmpdir(), "mebel-oidc-"));

  beforeAll(async () => {
    await initialiseCluster(dataDir);
    const { publicKey, privateKey } = await generateKeyPair("RS256");
    otherKey = await generateKeyPair("RS256");
    const jwk: JWK = {
      ...(await exportJWK(publicKey)),
      kid: "provider-1",
      alg: "RS256",
      use: "sig",
    };
    jwksServer = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((done) => jwksServer.listen(0, "127.0.0.1", done));
    const { port } = jwksServer.address() as AddressInfo;
    sign = (sub, roles) =>
      new SignJWT({ realm_access: { roles: [...roles, "offline_access"] }, azp: "shop-web" })
        .setProtectedHeader({ alg: "RS256", kid: "provider-1", typ: "JWT" })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(privateKey);
    app = await startAllInOne(dataDir, {
      MEBEL_AUTH_ISSUER: ISSUER,
      MEBEL_AUTH_JWKS_URL: `http://127.0.0.1:${port}/protocol/openid-connect/certs`,
      MEBEL_AUTH_AUDIENCE: AUDIENCE,
      MEBEL_AUTH_ROLES_CLAIM: "realm_access.roles",
    });
  }, 90_000);
  afterAll(async () => {
    await app?.kill("SIGTERM");
    await new Promise<void>((done) => jwksServer?.close(() => done()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("accepts the provider's tokens in every service, passed on by the site, and nobody else's", async () => {
    const bearer = async (sub: string, roles: ReadonlyArray<string>) => ({
      authorization: `Bearer ${await sign(sub, roles)}`,
    });
    const staff = await bearer("kc-stock", ["warehouse"]);
    const olga = await bearer("kc-olga", ["customer"]);
    expect(
      (await call("POST", `${app.warehouse}/stock/LAMP-ARC/receive`, { quantity: 1 }, staff))
        .status,
    ).toBe(200);
    const order = await call("POST", `${app.site}/customers/kc-olga/orders`, {}, olga);
    expect(order.status).toBe(201);
    const added = await call(
      "POST",
      `${app.site}/customers/kc-olga/orders/${order.body.orderId}/items`,
      { sku: "LAMP-ARC", quantity: 1 },
      olga,
    );
    expect(added.status).toBe(201);
    const me = await call("GET", `${app.site}/auth/me`, undefined, olga);
    expect(me.body).toEqual({ id: "kc-olga", email: null, name: null, roles: ["customer"] });
    // The customer's role does not reach the warehouse's staff routes.
    expect(
      (await call("POST", `${app.warehouse}/stock/LAMP-ARC/receive`, { quantity: 1 }, olga)).status,
    ).toBe(403);
    // A key the provider does not publish: refused everywhere.
    const forged = await new SignJWT({ realm_access: { roles: ["admin"] } })
      .setProtectedHeader({ alg: "RS256", kid: "provider-1" })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject("mallory")
      .setExpirationTime("5m")
      .sign(otherKey.privateKey);
    const refused = await call("GET", `${app.warehouse}/queue`, undefined, {
      authorization: `Bearer ${forged}`,
    });
    expect(refused.status).toBe(401);
  });

  it("switches Mebel's own issuer off, and seeds no demo accounts", async () => {
    expect(
      (await call("POST", `${app.site}/auth/login`, { email: "olga@example.com", password: "x" }))
        .status,
    ).toBe(404);
    expect((await call("GET", `${app.site}/.well-known/jwks.json`)).status).toBe(404);
    expect(app.output()).not.toMatch(/demo accounts/);
  });
});
