import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { readAuthSettings } from "./auth-settings.js";

const base = {
  host: "127.0.0.1",
  ports: { site: 3000, catalog: 3001, warehouse: 3002, delivery: 3003 },
  dataDir: ".data",
};

describe("identity and access settings", () => {
  it("default to the embedded issuer, its key in the data folder, the site's JWKS for the others", () => {
    const settings = readAuthSettings({}, base);
    expect(settings).toEqual(
      E.right(
        expect.objectContaining({
          source: {
            kind: "embedded",
            keyFile: ".data/auth/signing-key.json",
            jwksUrl: "http://127.0.0.1:3000/.well-known/jwks.json",
          },
          issuer: "urn:mebel:site",
          audience: "urn:mebel:api",
          algorithms: ["ES256"],
          corsOrigins: [],
        }),
      ),
    );
  });

  it("name an external provider by its JWKS and issuer, which switches the embedded issuer off", () => {
    const settings = readAuthSettings(
      {
        MEBEL_AUTH_JWKS_URL: "https://sso.example/certs",
        MEBEL_AUTH_ISSUER: "https://sso.example/realms/shop",
        MEBEL_AUTH_ROLES_CLAIM: "realm_access.roles",
        MEBEL_CORS_ORIGINS: "https://shop.example, https://admin.shop.example",
      },
      base,
    );
    expect(E.isRight(settings) && settings.right).toMatchObject({
      source: { kind: "external", jwksUrl: "https://sso.example/certs" },
      rolesClaim: "realm_access.roles",
      algorithms: ["RS256", "ES256"],
      corsOrigins: ["https://shop.example", "https://admin.shop.example"],
    });
    expect(
      E.isLeft(readAuthSettings({ MEBEL_AUTH_JWKS_URL: "https://sso.example/certs" }, base)),
    ).toBe(true);
  });

  it("refuse symmetric algorithms, bad origins and short demo passwords, without echoing them", () => {
    for (const env of [
      { MEBEL_AUTH_ALGORITHMS: "HS256" },
      { MEBEL_AUTH_ALGORITHMS: "none" },
      { MEBEL_CORS_ORIGINS: "https://shop.example/path" },
      { MEBEL_AUTH_JWKS_URL: "file:///etc/passwd", MEBEL_AUTH_ISSUER: "x" },
      { MEBEL_ACCESS_TOKEN_TTL_S: "0" },
      { MEBEL_DEMO_PASSWORD: "short7!" },
      { MEBEL_METRICS_TOKEN: "short7!" },
      { MEBEL_METRICS_TOKEN: `${"x".repeat(40)} short7!` },
    ]) {
      const settings = readAuthSettings(env, base);
      expect(E.isLeft(settings), JSON.stringify(env)).toBe(true);
      if (E.isLeft(settings)) expect(settings.left.join(" ")).not.toContain("short7!");
    }
  });

  it("take the scraper's metrics token when it is long enough to be a secret", () => {
    const token = "m".repeat(24) + "0123456789";
    const settings = readAuthSettings({ MEBEL_METRICS_TOKEN: token }, base);
    expect(E.isRight(settings) && settings.right.metricsToken).toBe(token);
    expect(
      E.isRight(readAuthSettings({}, base)) &&
        "metricsToken" in (readAuthSettings({}, base) as E.Right<object>).right,
    ).toBe(false);
  });
});
