import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { docPath, generatedDocs } from "./generated-docs.js";

describe("the generated documents in docs/", () => {
  it("are what the code makes now (npm run docs writes them anew)", async () => {
    const docs = await generatedDocs();
    for (const [name, text] of docs) {
      expect(existsSync(docPath(name)), `docs/${name} is missing: run npm run docs`).toBe(true);
      expect(readFileSync(docPath(name), "utf8"), `docs/${name}: run npm run docs`).toBe(text);
    }
    const committed = readdirSync(docPath("openapi")).map((f) => `openapi/${f}`);
    expect(committed.sort(), "docs/openapi holds a document no service serves").toEqual(
      [...docs.keys()].filter((n) => n.startsWith("openapi/")).sort(),
    );
  });

  it("keep the hand-written parts of docs/events.md around the catalogue", async () => {
    const events = (await generatedDocs()).get("events.md") ?? "";
    expect(events).toContain("## Versions, and how to evolve an event");
    expect(events).toContain("| `OrderPlaced` | v2<br>v1: ");
  });
});
