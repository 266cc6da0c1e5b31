import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lifecyclesDoc } from "./lifecycles.js";

const doc = join(dirname(fileURLToPath(import.meta.url)), "../../../docs/lifecycles.md");

describe("docs/lifecycles.md", () => {
  it("is what the transition tables draw (npm run docs:lifecycles)", () => {
    expect(readFileSync(doc, "utf8")).toBe(lifecyclesDoc());
  });
});
