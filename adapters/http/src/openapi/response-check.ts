import { appendFileSync, readFileSync, renameSync, rmSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { Express, NextFunction, Request, Response } from "express";
import { registeredRoutes } from "../auth/route-table.js";
import { POSITION_FIELD, POSITION_HEADER } from "../read-your-writes.js";
import type { JsonSchema } from "./json-schema.js";
import {
  type OpenApiDocument,
  type Operation,
  openApiDocument,
  openApiPath,
} from "./openapi-document.js";
import { PROBLEM_REF, PROBLEM_SCHEMA } from "./route-spec.js";

/**
 * Names the file the response check appends its findings to. Set (by the test set-up) it turns
 * the check on in every app made in this process and in every child process that inherits it.
 */
export const RESPONSE_CHECK_ENV = "MEBEL_RESPONSE_CHECK";

export interface Violation {
  readonly operation: string;
  readonly status: number;
  readonly contentType: string;
  readonly problem: string;
  readonly body: string;
}

const ajvFor = (): Ajv2020 => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat("email", /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  ajv.addFormat("uri", /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/);
  return ajv;
};

/** The document's one reference, to the shared problem shape, put in place for the validator. */
const withProblem = (schema: JsonSchema): JsonSchema =>
  JSON.parse(
    JSON.stringify(schema, (_key, value: unknown) =>
      (value as { $ref?: unknown } | null)?.$ref === PROBLEM_REF ? PROBLEM_SCHEMA : value,
    ),
  ) as JsonSchema;

const mediaTypeOf = (res: Response): string =>
  String(res.getHeader("content-type") ?? "")
    .split(";")[0]
    ?.trim()
    .toLowerCase() ?? "";

const isJson = (mediaType: string): boolean =>
  mediaType === "application/json" || mediaType.endsWith("+json");

const textOf = (body: unknown): string =>
  typeof body === "string"
    ? body
    : Buffer.isBuffer(body)
      ? body.toString("utf8")
      : JSON.stringify(body ?? null);

/** A command's body says the position its header does, or, with no header, none. */
const positionAgrees = (body: unknown, header: unknown): string | undefined => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const field = (body as Record<string, unknown>)[POSITION_FIELD];
  const said = header === undefined ? undefined : String(header);
  const shown = (value: unknown) => (value === undefined ? "none" : JSON.stringify(value));
  return field === said
    ? undefined
    : `the body's ${POSITION_FIELD} ${shown(field)} is not ${POSITION_HEADER} ${shown(said)}`;
};

/**
 * Checks every answer an app sends against its own OpenAPI document: the status must be
 * declared for the operation, with the media type, and a JSON body must match the schema.
 * What does not is appended to `file`, for the test set-up to fail the test that caused it.
 * Answers of routes without a spec are left to the documentation test.
 */
export const responseCheck = (app: Express, file: string) => {
  let document: OpenApiDocument | undefined;
  const ajv = ajvFor();
  const validators = new Map<string, ValidateFunction>();
  const record = (v: Violation) => appendFileSync(file, `${JSON.stringify(v)}\n`);

  /** What is wrong with an answer, if anything: undefined when the document describes it. */
  const mismatch = (
    operation: Operation,
    name: string,
    res: Response,
    body: unknown,
  ): string | undefined => {
    const status = res.statusCode;
    const mediaType = mediaTypeOf(res);
    const answer = operation.responses[String(status)] ?? operation.responses.default;
    if (answer === undefined) return `status ${status} is not declared`;
    const position = res.getHeader(POSITION_HEADER);
    if (position !== undefined && answer.headers?.[POSITION_HEADER] === undefined) {
      return `${POSITION_HEADER} is not declared for ${status} (a command's spec says \`command: true\`)`;
    }
    if (answer.content === undefined) {
      return textOf(body) === "" ? undefined : `${status} is declared without a body`;
    }
    const content = answer.content[mediaType];
    if (content === undefined) return `${mediaType} is not declared for ${status}`;
    if (content.schema === undefined || !isJson(mediaType)) return undefined;
    const key = `${name} ${status} ${mediaType}`;
    const validate = validators.get(key) ?? ajv.compile(withProblem(content.schema));
    validators.set(key, validate);
    let value: unknown;
    try {
      value = typeof body === "string" || Buffer.isBuffer(body) ? JSON.parse(textOf(body)) : body;
    } catch {
      return "the body is not JSON";
    }
    if (!validate(value)) return ajv.errorsText(validate.errors);
    return answer.headers?.[POSITION_HEADER] === undefined
      ? undefined
      : positionAgrees(value, position);
  };

  const check = (req: Request, res: Response, body: unknown): void => {
    const routePath = (req.route as { path?: unknown } | undefined)?.path;
    if (typeof routePath !== "string" || req.method === "HEAD" || res.statusCode === 304) return;
    document ??= openApiDocument(
      { title: "check", description: "", version: "0" },
      registeredRoutes(app),
    );
    const operation = document.paths[openApiPath(routePath)]?.[req.method.toLowerCase()];
    if (operation === undefined || operation["x-undocumented"] === true) return;
    const name = `${req.method} ${routePath}`;
    const problem = mismatch(operation, name, res, body);
    if (problem !== undefined) {
      record({
        operation: name,
        status: res.statusCode,
        contentType: mediaTypeOf(res),
        problem,
        body: textOf(body).slice(0, 500),
      });
    }
  };

  // On `end`, not `send`: JSON answers are written with `end` directly (see answer.ts), and
  // Express's `send` ends with it too. A body streamed with `write` (events, files) is not looked at.
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      const [body] = args;
      if (!res.headersSent) {
        try {
          check(req, res, typeof body === "function" ? "" : (body ?? ""));
        } catch (error) {
          record({
            operation: `${req.method} ${req.originalUrl}`,
            status: res.statusCode,
            contentType: mediaTypeOf(res),
            problem: `the check itself failed: ${String(error)}`,
            body: "",
          });
        }
      }
      return end(...args);
    }) as Response["end"];
    next();
  };
};

/** What the check found since last asked, and forgets it. */
export const takeViolations = (file: string): ReadonlyArray<Violation> => {
  // Moved aside first: a process still appending starts a new file rather than losing a line.
  const taken = `${file}.taken`;
  try {
    renameSync(file, taken);
  } catch {
    return [];
  }
  const lines = readFileSync(taken, "utf8")
    .split("\n")
    .filter((l) => l !== "");
  rmSync(taken, { force: true });
  return lines.map((l) => JSON.parse(l) as Violation);
};

const describeViolations = (violations: ReadonlyArray<Violation>): string =>
  violations
    .map((v) => `${v.operation} answered ${v.status} ${v.contentType}: ${v.problem}\n  ${v.body}`)
    .join("\n");

/** The test set-up's verdict after each test: throws, failing it, if the check found anything. */
export const failOnViolations = (file: string): void => {
  const violations = takeViolations(file);
  if (violations.length > 0) {
    throw new Error(
      `answers that do not match the OpenAPI document:\n${describeViolations(violations)}`,
    );
  }
};
