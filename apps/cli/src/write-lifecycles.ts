import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { lifecyclesDoc } from "@mebel/core";

/** `npm run docs:lifecycles`: draws docs/lifecycles.md from the deciders' transition tables. */
const LIFECYCLES_DOC = join(dirname(fileURLToPath(import.meta.url)), "../../../docs/lifecycles.md");

writeFileSync(LIFECYCLES_DOC, lifecyclesDoc());
