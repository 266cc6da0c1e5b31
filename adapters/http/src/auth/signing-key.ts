import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
} from "jose";
import { ACCESS_TOKEN_ALGORITHM } from "./token-signer.js";

/** The embedded issuer's key pair: the private half signs, the public half is the JWKS. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwks: JSONWebKeySet;
  /** The private key as a JWK, to be kept where only its owner can read it. */
  readonly privateJwk: JWK;
}

const publicPart = ({ kty, crv, x, y }: JWK): JWK =>
  Object.fromEntries(Object.entries({ kty, crv, x, y }).filter(([, v]) => v !== undefined)) as JWK;

export const signingKeyFromJwk = async (privateJwk: JWK): Promise<SigningKey> => {
  const pub = publicPart(privateJwk);
  const kid = await calculateJwkThumbprint(pub);
  const privateKey = (await importJWK(privateJwk, ACCESS_TOKEN_ALGORITHM)) as CryptoKey;
  return {
    kid,
    privateKey,
    privateJwk,
    jwks: { keys: [{ ...pub, kid, alg: ACCESS_TOKEN_ALGORITHM, use: "sig" }] },
  };
};

export const newSigningKey = async (): Promise<SigningKey> => {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
  return signingKeyFromJwk(await exportJWK(privateKey));
};
