import * as E from "fp-ts/lib/Either.js";
import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, jwtVerify } from "jose";
import { knownRoles, type Principal, PrincipalClaims } from "./principal.js";

/** Where public keys come from: a JWKS in hand (the embedded issuer's own) or a JWKS URL. */
export type KeySource =
  | { readonly kind: "local"; readonly jwks: JSONWebKeySet }
  | {
      readonly kind: "remote";
      readonly url: string;
      /** How soon a token naming an unknown key may make the set be fetched again. */
      readonly refetchCooldownMs?: number;
    };

export interface VerifierOptions {
  readonly keys: KeySource;
  readonly issuer: string;
  readonly audience: string;
  /** Signature algorithms accepted; `none` and the HMAC family are never among them. */
  readonly algorithms: ReadonlyArray<string>;
  /** Where the roles are in the claims, as a dotted path: `roles`, `realm_access.roles`. */
  readonly rolesClaim: string;
  /** How far apart our clock and the issuer's may be, in seconds, for `exp`, `nbf` and `iat`. */
  readonly clockToleranceSeconds?: number;
  /** Milliseconds since the epoch; the system clock unless a test says otherwise. */
  readonly now?: () => number;
}

/**
 * Why a token was not accepted: `invalid` (the caller's to fix: 401) or `unavailable` (the keys
 * could not be fetched: ours, 503).
 */
export type VerifyFailure =
  | { readonly kind: "invalid"; readonly reason: string }
  | { readonly kind: "unavailable"; readonly reason: string };

export type TokenVerifier = (token: string) => Promise<E.Either<VerifyFailure, Principal>>;

const SYMMETRIC = /^(HS|none$)/i;
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
/**
 * A token already verified is taken again, without checking its signature, for at most this long
 * and never past its expiry: a client sends the same token with every request, and checking an
 * ES256 signature cost about 0.2 ms of a request's time (a quarter of the add-item route's
 * throughput). Bounded, so a key withdrawn from the JWKS stops being honoured within it.
 */
const ACCEPTED_FOR_MS = 60_000;
const ACCEPTED_MAX = 10_000;

const at = (claims: Record<string, unknown>, path: string): unknown =>
  path
    .split(".")
    .reduce<unknown>(
      (value, key) =>
        typeof value === "object" && value !== null
          ? (value as Record<string, unknown>)[key]
          : undefined,
      claims,
    );

const unavailable = (error: unknown): boolean =>
  error instanceof errors.JWKSTimeout ||
  (error instanceof errors.JOSEError && error.code === "ERR_JWKS_INVALID") ||
  !(error instanceof errors.JOSEError);

/**
 * One verifier for every service: the signature against the JWKS (a remote set is cached and
 * fetched again when a token names a key it does not hold), the algorithm against the allow-list,
 * `iss`, `aud`, `exp` and `nbf` within a small clock skew, then the claims decoded with io-ts.
 */
export const createTokenVerifier = (options: VerifierOptions): TokenVerifier => {
  const algorithms = options.algorithms.filter((a) => !SYMMETRIC.test(a));
  if (algorithms.length === 0) throw new Error("token verifier: no asymmetric algorithm allowed");
  const keys =
    options.keys.kind === "local"
      ? createLocalJWKSet(options.keys.jwks)
      : createRemoteJWKSet(new URL(options.keys.url), {
          cooldownDuration: options.keys.refetchCooldownMs ?? 30_000,
          cacheMaxAge: 10 * 60_000,
          timeoutDuration: 5_000,
        });
  const clockTolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const now = options.now ?? Date.now;
  /** Tokens accepted lately, oldest first, with when to stop taking each on trust. */
  const accepted = new Map<string, { readonly principal: Principal; readonly until: number }>();
  const remember = (token: string, principal: Principal): void => {
    const expires = (principal.expiresAt ?? 0) * 1_000 + clockTolerance * 1_000;
    accepted.set(token, { principal, until: Math.min(now() + ACCEPTED_FOR_MS, expires) });
    if (accepted.size > ACCEPTED_MAX) {
      const oldest = accepted.keys().next();
      if (oldest.done !== true) accepted.delete(oldest.value);
    }
  };
  return async (token) => {
    const known = accepted.get(token);
    if (known !== undefined) {
      if (now() < known.until) return E.right(known.principal);
      accepted.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [...algorithms],
        clockTolerance,
        requiredClaims: ["sub", "exp"],
        currentDate: new Date(now()),
      });
      const claims = PrincipalClaims.decode(payload);
      if (E.isLeft(claims)) return E.left({ kind: "invalid", reason: "claims do not decode" });
      const { sub, courier_id } = claims.right;
      const principal: Principal = {
        sub,
        roles: knownRoles(at(payload, options.rolesClaim)),
        ...(courier_id === undefined ? {} : { courierId: courier_id }),
        ...(payload.exp === undefined ? {} : { expiresAt: payload.exp }),
      };
      remember(token, principal);
      return E.right(principal);
    } catch (error) {
      const reason = error instanceof Error ? error.name : "unknown";
      return E.left(
        options.keys.kind === "remote" && unavailable(error)
          ? { kind: "unavailable", reason }
          : { kind: "invalid", reason },
      );
    }
  };
};
