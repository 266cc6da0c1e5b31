import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

// Every answer of every app a test makes, in this worker or in a child process it starts (which
// inherits the variable), is checked against that service's OpenAPI document; a test that
// received one the document does not describe fails here.
const file = join(tmpdir(), `mebel-responses-${process.pid}-${randomUUID()}.jsonl`);
// RESPONSE_CHECK_ENV's name, spelled out: importing the checker (ajv, every route) before each of
// the suite's files costs more than most of them take to run. response-check.test.ts fails if the
// two names part.
process.env.MEBEL_RESPONSE_CHECK = file;

afterEach(async () => {
  // The check writes the file only when it finds something: no file, nothing to report.
  if (!existsSync(file)) return;
  const { failOnViolations } = await import("./adapters/http/src/openapi/response-check.js");
  failOnViolations(file);
});
