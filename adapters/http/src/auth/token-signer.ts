import { randomUUID } from "node:crypto";
import { type CryptoKey, SignJWT } from "jose";
import type { Principal } from "./principal.js";

export interface SignerOptions {
  readonly privateKey: CryptoKey;
  readonly kid: string;
  readonly issuer: string;
  readonly audience: string;
  /** How long an access token lives: minutes, so a stolen one is soon worth nothing. */
  readonly ttlSeconds: number;
}

export type TokenSigner = (principal: Principal) => Promise<string>;

export const ACCESS_TOKEN_ALGORITHM = "ES256";

/** Access tokens of the embedded issuer: ES256, with iss, aud, sub, iat, exp, jti and the roles. */
export const createTokenSigner =
  (options: SignerOptions): TokenSigner =>
  (principal) =>
    new SignJWT({
      roles: [...principal.roles],
      ...(principal.courierId === undefined ? {} : { courier_id: principal.courierId }),
    })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: options.kid, typ: "JWT" })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject(principal.sub)
      .setIssuedAt()
      .setExpirationTime(`${options.ttlSeconds}s`)
      .setJti(randomUUID())
      .sign(options.privateKey);
