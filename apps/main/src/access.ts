import { readFileSync } from "node:fs";
import {
  createTokenSigner,
  createTokenVerifier,
  type Guard,
  type KeySource,
} from "@mebel/adapter-http";
import type { AccountStore } from "@mebel/core";
import { type AuthSettings, loadOrCreateSigningKey } from "@mebel/runtime";
import type { IssuerDeps } from "@mebel/site";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";

/** How the services of this process learn who calls them, and the issuer if the site runs here. */
export interface Access {
  readonly guard: Guard;
  readonly corsOrigins: ReadonlyArray<string>;
  readonly issuer?: IssuerDeps;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

const Jwks = t.type({ keys: t.array(t.UnknownRecord) });

/** A JWKS file, decoded like any other bytes from outside: a bad one stops the start. */
const jwksFromFile = (file: string): KeySource => {
  const decoded = Jwks.decode(JSON.parse(readFileSync(file, "utf8")));
  if (E.isLeft(decoded)) throw new Error(`MEBEL_AUTH_JWKS_FILE ${file} is not a JWKS`);
  return { kind: "local", jwks: decoded.right as never };
};

/**
 * Embedded: the process that runs the site holds the key pair (made on first start) and verifies
 * with it directly; a service running apart fetches the site's JWKS. External: everyone fetches
 * the provider's JWKS, and there is no issuer here.
 */
export const prepareAccess = async (
  auth: AuthSettings,
  options: {
    readonly runsSite: boolean;
    readonly host: string;
    readonly accounts: AccountStore;
  },
): Promise<Access> => {
  const verifier = (keys: KeySource) =>
    createTokenVerifier({
      keys,
      issuer: auth.issuer,
      audience: auth.audience,
      algorithms: auth.algorithms,
      rolesClaim: auth.rolesClaim,
    });
  const scraper = auth.metricsToken === undefined ? {} : { metricsToken: auth.metricsToken };
  if (auth.source.kind === "embedded" && !options.runsSite && auth.source.jwksFile !== undefined) {
    return {
      guard: { verify: verifier(jwksFromFile(auth.source.jwksFile)), ...scraper },
      corsOrigins: auth.corsOrigins,
    };
  }
  if (auth.source.kind === "external" || !options.runsSite) {
    return {
      guard: { verify: verifier({ kind: "remote", url: auth.source.jwksUrl }), ...scraper },
      corsOrigins: auth.corsOrigins,
    };
  }
  const key = await loadOrCreateSigningKey(auth.source.keyFile);
  return {
    guard: { verify: verifier({ kind: "local", jwks: key.jwks }), ...scraper },
    corsOrigins: auth.corsOrigins,
    issuer: {
      accounts: options.accounts,
      sign: createTokenSigner({
        privateKey: key.privateKey,
        kid: key.kid,
        issuer: auth.issuer,
        audience: auth.audience,
        ttlSeconds: auth.accessTokenTtlSeconds,
      }),
      jwks: key.jwks,
      accessTokenTtlSeconds: auth.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: auth.refreshTokenTtlSeconds,
      secureCookies: !LOOPBACK.has(options.host),
      signInsPerMinute: auth.signInsPerMinute,
      allowedOrigins: auth.corsOrigins,
    },
  };
};
