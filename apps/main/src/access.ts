import {
  createTokenSigner,
  createTokenVerifier,
  type Guard,
  type KeySource,
} from "@mebel/adapter-http";
import type { AccountStore } from "@mebel/core";
import { type AuthSettings, loadOrCreateSigningKey } from "@mebel/runtime";
import type { IssuerDeps } from "@mebel/site";

/** How the services of this process learn who calls them, and the issuer if the site runs here. */
export interface Access {
  readonly guard: Guard;
  readonly corsOrigins: ReadonlyArray<string>;
  readonly issuer?: IssuerDeps;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

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
  if (auth.source.kind === "external" || !options.runsSite) {
    return {
      guard: { verify: verifier({ kind: "remote", url: auth.source.jwksUrl }) },
      corsOrigins: auth.corsOrigins,
    };
  }
  const key = await loadOrCreateSigningKey(auth.source.keyFile);
  return {
    guard: { verify: verifier({ kind: "local", jwks: key.jwks }) },
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
