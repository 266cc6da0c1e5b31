import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

// OWASP's scrypt floor (N=2^17, r=8, p=1) costs 128 MiB a hash; 2^15 with r=8 is 32 MiB and still
// about 50 ms, which makes guessing offline slow without letting sign-ins exhaust memory.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

const derive = (password: string, salt: Buffer, n: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password.normalize("NFKC"),
      salt,
      KEY_LENGTH,
      { N: n, r, p, maxmem: MAX_MEMORY },
      (e, key) => (e === null ? resolve(key) : reject(e)),
    ),
  );

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash, so they can be raised later. */
export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
};

const FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const parts = FORMAT.exec(stored);
  if (parts === null) return false;
  const [, n, r, p, salt, hash] = parts as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(
    password,
    Buffer.from(salt, "base64url"),
    Number(n),
    Number(r),
    Number(p),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
};

/**
 * A hash no password matches, checked when there is no such account: "no such user" then takes as
 * long as "wrong password", and the two answers cannot be told apart.
 */
export const UNUSABLE_HASH = `scrypt$${N}$${R}$${P}$${"A".repeat(22)}$${"A".repeat(43)}`;
