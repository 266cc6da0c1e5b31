import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Service, withTable } from "@mebel/adapter-http";
import { startTestApps } from "../test-apps.js";
import { withEventCatalogue } from "./event-catalogue.js";

const DOCS = join(import.meta.dirname, "../../../../docs");
const SERVICES: ReadonlyArray<Service> = ["site", "catalog", "warehouse", "delivery"];

/** Every generated document, by its path under docs/: what `npm run docs` writes. */
export const generatedDocs = async (): Promise<ReadonlyMap<string, string>> => {
  const docs = new Map<string, string>();
  const read = (name: string) => readFileSync(join(DOCS, name), "utf8");
  docs.set("events.md", withEventCatalogue(read("events.md")));
  docs.set("security.md", withTable(read("security.md")));
  // The documents as the services serve them: every route each app registers, as it registers it.
  const world = await startTestApps();
  try {
    for (const service of SERVICES) {
      const served = await (await fetch(`${world.urls[service]}/openapi.json`)).json();
      docs.set(`openapi/${service}.json`, `${JSON.stringify(served, null, 2)}\n`);
    }
  } finally {
    await world.close();
  }
  return docs;
};

export const docPath = (name: string): string => join(DOCS, name);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { writeFileSync } = await import("node:fs");
  for (const [name, text] of await generatedDocs()) writeFileSync(docPath(name), text);
}
