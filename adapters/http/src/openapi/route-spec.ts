import type * as t from "io-ts";
import { statusOfCode } from "../problem.js";
import type { JsonSchema } from "./json-schema.js";

/** An answer that is not JSON (a page, a script, an event stream): its media type, no codec. */
export interface OtherAnswer {
  readonly contentType: string | ReadonlyArray<string>;
  readonly description?: string;
}

export type Answer = t.Any | OtherAnswer;

/** A problem code the route may answer, with its status when `statusOfCode` would not give it. */
export type ProblemCode = string | readonly [status: number, code: string];

/**
 * What a route reads and answers, declared where the route is registered: the OpenAPI document
 * of the service is made from these and the access policy, and the test suites check every
 * answer against it. The codecs are the very ones the handler decodes with.
 */
export interface RouteSpec {
  readonly summary: string;
  readonly description?: string;
  /** Path parameters: an object codec whose fields are the `:names` of the path. */
  readonly params?: t.Any;
  readonly query?: t.Any;
  /** Request headers the route reads (lower case), beside those the conventions add. */
  readonly headers?: t.Any;
  readonly body?: t.Any;
  /** The route honours If-Match as the expected revision (400 on a bad tag, 412 on a stale one). */
  readonly ifMatch?: true;
  /**
   * A command: a success that appended events says where the last one landed, in `Mebel-Position`
   * and as `position` in its JSON body (read-your-writes). The document adds both to its answers.
   */
  readonly command?: true;
  /** Answers other than problems: status to the codec of the JSON body, or another media type. */
  readonly responses: Readonly<Record<number, Answer>>;
  /** Problems the route itself answers; those of the conventions and the policy are added. */
  readonly problems?: ReadonlyArray<ProblemCode>;
}

/** Statuses of the problem codes of the adapters and apps that `statusOfCode` does not give. */
const STATUS_OF: Readonly<Record<string, number>> = {
  INVALID_REQUEST: 400,
  MALFORMED_JSON: 400,
  BAD_REQUEST: 400,
  REQUEST_ABORTED: 400,
  UNAUTHENTICATED: 401,
  INVALID_TOKEN: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  TOO_MANY_ATTEMPTS: 429,
  INTERNAL_ERROR: 500,
  BAD_GATEWAY: 502,
  STORE_UNAVAILABLE: 503,
  AUTHENTICATION_UNAVAILABLE: 503,
  CATALOG_UNAVAILABLE: 503,
  UPSTREAM_UNAVAILABLE: 503,
  VIEW_BEHIND: 503,
  TOO_MANY_STREAMS: 503,
  SELF_LOCKOUT: 409,
  COURIER_ID_REQUIRED: 422,
  COURIER_REQUIRED: 400,
  DELIVERY_WINDOW_INVALID: 422,
};

export const problemStatus = (problem: ProblemCode): readonly [number, string] =>
  typeof problem === "string" ? [STATUS_OF[problem] ?? statusOfCode(problem), problem] : problem;

export const isOtherAnswer = (answer: Answer): answer is OtherAnswer =>
  (answer as Partial<OtherAnswer>).contentType !== undefined;

export const PROBLEM_REF = "#/components/schemas/Problem";

/** A problem of one of these codes: the shared shape, its code narrowed. */
export const problemSchema = (codes: ReadonlyArray<string>): JsonSchema => ({
  allOf: [{ $ref: PROBLEM_REF }, { properties: { code: { enum: [...codes].sort() } } }],
});

/** The problem details every answer of `application/problem+json` has (RFC 9457, our `code`). */
export const PROBLEM_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    type: { type: "string", format: "uri" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string", description: "stable, for programs: `ORDER_NOT_FOUND`" },
    errors: {
      type: "array",
      items: {
        type: "object",
        properties: { path: { type: "string" }, expected: { type: "string" } },
        required: ["path", "expected"],
      },
    },
    details: { type: "object" },
  },
  required: ["type", "title", "status", "code"],
};
