import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import {
  failOnViolations,
  RESPONSE_CHECK_ENV,
} from "./adapters/http/src/openapi/response-check.js";

// Every answer of every app a test makes, in this worker or in a child process it starts (which
// inherits the variable), is checked against that service's OpenAPI document; a test that
// received one the document does not describe fails here.
const file = join(tmpdir(), `mebel-responses-${process.pid}-${randomUUID()}.jsonl`);
process.env[RESPONSE_CHECK_ENV] = file;

afterEach(() => failOnViolations(file));
