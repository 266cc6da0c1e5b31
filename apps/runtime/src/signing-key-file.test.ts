import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadOrCreateSigningKey } from "./signing-key-file.js";

const dir = mkdtempSync(join(tmpdir(), "mebel-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the signing key file", () => {
  it("is made on first start, readable by its owner only, and the same key on every later start", async () => {
    const file = join(dir, "auth", "signing-key.json");
    const made = await loadOrCreateSigningKey(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toHaveProperty("d");
    expect(made.jwks.keys[0]).not.toHaveProperty("d");
    const again = await loadOrCreateSigningKey(file);
    expect(again.kid).toBe(made.kid);
    // Loosened by hand: tightened again on the next start.
    chmodSync(file, 0o644);
    await loadOrCreateSigningKey(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("gives two processes starting at once the one key", async () => {
    const file = join(dir, "race", "signing-key.json");
    const [a, b] = await Promise.all([loadOrCreateSigningKey(file), loadOrCreateSigningKey(file)]);
    expect(a.kid).toBe(b.kid);
  });
});
