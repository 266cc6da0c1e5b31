import { join } from "node:path";
import { fieldErrors } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import type { Settings } from "./settings.js";

/**
 * Where tokens come from. `embedded`: the site issues them, signed with a key pair kept in
 * `keyFile`; the site verifies with that key, other services with the site's JWKS. `external`:
 * an OpenID Connect provider issues them and every service verifies with its JWKS; the site's
 * own issuer is off.
 */
export type TokenSource =
  | {
      readonly kind: "embedded";
      readonly keyFile: string;
      readonly jwksUrl: string;
      /** The site's public keys as a file, for services apart that should not fetch them. */
      readonly jwksFile?: string;
    }
  | { readonly kind: "external"; readonly jwksUrl: string };

export interface AuthSettings {
  readonly source: TokenSource;
  readonly issuer: string;
  readonly audience: string;
  readonly rolesClaim: string;
  readonly algorithms: ReadonlyArray<string>;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /** Origins whose pages may call the services from a browser; none by default (CORS off). */
  readonly corsOrigins: ReadonlyArray<string>;
  /** Sign-in attempts per minute per address (and a fifth of that per account). */
  readonly signInsPerMinute: number;
  /** Where the site answers, as other services reach it: its JWKS is there. */
  readonly siteUrl: string;
  /** The demo accounts' password, when one is given. */
  readonly demoPassword?: string;
  /** The bearer token a Prometheus scraper shows for `/metrics`, when there is one. */
  readonly metricsToken?: string;
}

const seconds = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, "Seconds");
const perMinute = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, "PerMinute");
const httpUrl = t.refinement(
  t.string,
  (s) => {
    try {
      return ["http:", "https:"].includes(new URL(s).protocol);
    } catch {
      return false;
    }
  },
  "URL (http, https)",
);
const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$/;
const algorithmList = t.refinement(
  t.string,
  (s) => s.split(",").every((a) => ASYMMETRIC.test(a.trim())),
  "asymmetric JWS algorithms, comma-separated (RS256, ES256, EdDSA, ...)",
);
const originList = t.refinement(
  t.string,
  (s) =>
    s.split(",").every((o) => {
      try {
        return new URL(o.trim()).origin === o.trim();
      } catch {
        return false;
      }
    }),
  "origins, comma-separated (https://shop.example)",
);

const AuthEnv = t.partial({
  MEBEL_AUTH_ISSUER: t.string,
  MEBEL_AUTH_AUDIENCE: t.string,
  MEBEL_AUTH_JWKS_URL: httpUrl,
  MEBEL_AUTH_ROLES_CLAIM: t.refinement(t.string, (s) => /^[\w:-]+(\.[\w:-]+)*$/.test(s), "Claim"),
  MEBEL_AUTH_ALGORITHMS: algorithmList,
  MEBEL_AUTH_KEY_FILE: t.string,
  MEBEL_AUTH_JWKS_FILE: t.string,
  MEBEL_ACCESS_TOKEN_TTL_S: seconds,
  MEBEL_REFRESH_TOKEN_TTL_S: seconds,
  MEBEL_CORS_ORIGINS: originList,
  MEBEL_SIGN_INS_PER_MINUTE: perMinute,
  SITE_URL: httpUrl,
  MEBEL_DEMO_PASSWORD: t.refinement(t.string, (s) => s.length >= 8, "at least 8 characters"),
  // What a bearer header can carry, and long enough not to be guessed.
  MEBEL_METRICS_TOKEN: t.refinement(
    t.string,
    (s) => /^[A-Za-z0-9._~+/-]{32,512}=*$/.test(s),
    "32 to 512 of A-Z a-z 0-9 . _ ~ + / -",
  ),
});

const NUMERIC = [
  "MEBEL_ACCESS_TOKEN_TTL_S",
  "MEBEL_REFRESH_TOKEN_TTL_S",
  "MEBEL_SIGN_INS_PER_MINUTE",
];

export const EMBEDDED_ISSUER = "urn:mebel:site";
export const DEFAULT_AUDIENCE = "urn:mebel:api";

/** The settings of identity and access (docs/security.md), beside the others. */
export const readAuthSettings = (
  env: Readonly<Record<string, string | undefined>>,
  settings: Pick<Settings, "host" | "ports"> & { readonly dataDir: string },
): E.Either<ReadonlyArray<string>, AuthSettings> => {
  const given = Object.fromEntries(
    Object.entries(env)
      .filter(([k, v]) => k in AuthEnv.props && v !== undefined && v.trim() !== "")
      .map(([k, v]) => [k, NUMERIC.includes(k) && /^\d+$/.test(v ?? "") ? Number(v) : v]),
  );
  const decoded = AuthEnv.decode(given);
  if (E.isLeft(decoded)) {
    // The values are not echoed back: one of them may be a password.
    return E.left(fieldErrors(decoded.left).map((e) => `${e.path}: expected ${e.expected}`));
  }
  const v = decoded.right;
  const siteUrl = v.SITE_URL ?? `http://${settings.host}:${settings.ports.site}`;
  const external = v.MEBEL_AUTH_JWKS_URL !== undefined;
  if (external && v.MEBEL_AUTH_ISSUER === undefined) {
    return E.left([
      "MEBEL_AUTH_ISSUER: the external provider's issuer must be named with its JWKS",
    ]);
  }
  const source: TokenSource =
    v.MEBEL_AUTH_JWKS_URL !== undefined
      ? { kind: "external", jwksUrl: v.MEBEL_AUTH_JWKS_URL }
      : {
          kind: "embedded",
          keyFile: v.MEBEL_AUTH_KEY_FILE ?? join(settings.dataDir, "auth", "signing-key.json"),
          jwksUrl: `${siteUrl.replace(/\/+$/, "")}/.well-known/jwks.json`,
          ...(v.MEBEL_AUTH_JWKS_FILE === undefined ? {} : { jwksFile: v.MEBEL_AUTH_JWKS_FILE }),
        };
  return E.right({
    source,
    issuer: v.MEBEL_AUTH_ISSUER ?? EMBEDDED_ISSUER,
    audience: v.MEBEL_AUTH_AUDIENCE ?? DEFAULT_AUDIENCE,
    rolesClaim: v.MEBEL_AUTH_ROLES_CLAIM ?? "roles",
    algorithms: (v.MEBEL_AUTH_ALGORITHMS ?? (external ? "RS256,ES256" : "ES256"))
      .split(",")
      .map((a) => a.trim()),
    accessTokenTtlSeconds: v.MEBEL_ACCESS_TOKEN_TTL_S ?? 600,
    refreshTokenTtlSeconds: v.MEBEL_REFRESH_TOKEN_TTL_S ?? 30 * 24 * 3600,
    corsOrigins:
      v.MEBEL_CORS_ORIGINS === undefined
        ? []
        : v.MEBEL_CORS_ORIGINS.split(",").map((o) => o.trim()),
    signInsPerMinute: v.MEBEL_SIGN_INS_PER_MINUTE ?? 30,
    siteUrl,
    ...(v.MEBEL_DEMO_PASSWORD === undefined ? {} : { demoPassword: v.MEBEL_DEMO_PASSWORD }),
    ...(v.MEBEL_METRICS_TOKEN === undefined ? {} : { metricsToken: v.MEBEL_METRICS_TOKEN }),
  });
};
