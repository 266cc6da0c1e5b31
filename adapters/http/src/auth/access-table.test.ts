import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SECURITY_DOC, withTable } from "./write-access-table.js";

describe("docs/security.md", () => {
  it("holds the roles x routes table the access policy makes (npm run docs:access rewrites it)", () => {
    const doc = readFileSync(SECURITY_DOC, "utf8");
    expect(doc).toBe(withTable(doc));
  });
});
