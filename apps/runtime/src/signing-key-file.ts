import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { newSigningKey, type SigningKey, signingKeyFromJwk } from "@mebel/adapter-http";
import type { JWK } from "jose";

const OWNER_ONLY = 0o600;

const read = async (file: string): Promise<SigningKey> => {
  // A key others can read is a key others may have: tighten it rather than go on trusting it.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, OWNER_ONLY);
  return signingKeyFromJwk(JSON.parse(readFileSync(file, "utf8")) as JWK);
};

/**
 * The embedded issuer's key pair: made on first start and written readable by its owner only;
 * read back on every later start, so tokens outlive a restart. Written exclusively (`wx`), so two
 * processes starting at once on one folder end up with the one key the first wrote.
 */
export const loadOrCreateSigningKey = async (file: string): Promise<SigningKey> => {
  try {
    return await read(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = await newSigningKey();
  try {
    writeFileSync(file, JSON.stringify(key.privateJwk), { flag: "wx", mode: OWNER_ONLY });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return read(file);
    throw error;
  }
};
