import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ACCESS_TABLE_END, ACCESS_TABLE_START, accessTable } from "./access-table.js";

/** `npm run docs:access`: writes the policy's table into docs/security.md, between its markers. */
export const SECURITY_DOC = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../docs/security.md",
);

export const withTable = (doc: string): string => {
  const start = doc.indexOf(ACCESS_TABLE_START);
  const end = doc.indexOf(ACCESS_TABLE_END);
  if (start === -1 || end < start) throw new Error("docs/security.md has no access table markers");
  return doc.slice(0, start) + accessTable() + doc.slice(end + ACCESS_TABLE_END.length);
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SECURITY_DOC, withTable(readFileSync(SECURITY_DOC, "utf8")));
}
