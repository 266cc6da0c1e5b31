import * as t from "io-ts";
import type { Access, Ownership } from "../auth/access-policy.js";
import type { RegisteredRoute } from "../auth/route-table.js";
import {
  POSITION_FIELD,
  POSITION_HEADER,
  PositionField,
  PositionText,
} from "../read-your-writes.js";
import { schemaOf } from "./codec-schemas.js";
import type { JsonSchema } from "./json-schema.js";
import {
  type Answer,
  isOtherAnswer,
  PROBLEM_SCHEMA,
  type ProblemCode,
  problemSchema,
  problemStatus,
  type RouteSpec,
} from "./route-spec.js";

export interface DocumentInfo {
  readonly title: string;
  readonly description: string;
  readonly version: string;
  /** The cookie a route with `cookie: true` reads its credential from. */
  readonly cookie?: string;
}

export type OpenApiDocument = {
  readonly openapi: string;
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
} & Readonly<Record<string, unknown>>;

export interface Operation {
  readonly operationId: string;
  readonly responses: Readonly<Record<string, ResponseObject>>;
  readonly [key: string]: unknown;
}

export interface ResponseObject {
  readonly description: string;
  readonly headers?: Readonly<
    Record<string, { readonly description: string; readonly schema: JsonSchema }>
  >;
  readonly content?: Readonly<Record<string, { readonly schema?: JsonSchema }>>;
}

/** Problems every route can answer, whatever it does: the conventions of `createHttpApp`. */
const EVERY_ROUTE: ReadonlyArray<ProblemCode> = [
  "MALFORMED_JSON",
  "BAD_REQUEST",
  "REQUEST_ABORTED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "INTERNAL_ERROR",
  "STORE_UNAVAILABLE",
];

const OWNERSHIP: Readonly<Record<Ownership, readonly [string, ReadonlyArray<ProblemCode>]>> = {
  "customer-path": ["a customer only their own (the path's customer id)", ["FORBIDDEN"]],
  "customer-body": ["a customer only for themselves (the body's customer id)", ["FORBIDDEN"]],
  "customer-order": ["a customer only their own orders", ["ORDER_NOT_FOUND"]],
  "courier-delivery": ["a courier only the deliveries assigned to them", ["DELIVERY_NOT_FOUND"]],
  "courier-path": ["a courier only their own (the path's courier id)", ["FORBIDDEN"]],
};

const policyProblems = (access: Access | undefined): ReadonlyArray<ProblemCode> => {
  if (access === undefined || access.anyone === true) return [];
  return [
    "UNAUTHENTICATED",
    "INVALID_TOKEN",
    "FORBIDDEN",
    "AUTHENTICATION_UNAVAILABLE",
    ...(access.owner === undefined ? [] : OWNERSHIP[access.owner][1]),
  ];
};

const rolesOf = (access: Access | undefined): ReadonlyArray<string> => {
  if (access === undefined || access.anyone === true) return ["anonymous"];
  return [...new Set([...access.roles, "admin"])];
};

const whoMay = (access: Access | undefined): string => {
  if (access === undefined) return "Not in the access policy.";
  if (access.anyone === true) {
    return access.cookie === true
      ? "Anyone: the refresh cookie is the credential."
      : "Anyone, no sign-in needed.";
  }
  const owner = access.owner === undefined ? "" : ` (${OWNERSHIP[access.owner][0]})`;
  const ticket = access.ticket === true ? " A single-use ticket may stand for the token." : "";
  return `Roles: ${rolesOf(access).join(", ")}${owner}.${ticket}`;
};

const securityOf = (access: Access | undefined): ReadonlyArray<Record<string, string[]>> => {
  if (access === undefined || access.anyone === true) {
    return access?.anyone === true && access.cookie === true ? [{ refreshCookie: [] }] : [];
  }
  return access.ticket === true ? [{ bearer: [] }, { ticket: [] }] : [{ bearer: [] }];
};

/** `/orders/:orderId` as OpenAPI writes it: `/orders/{orderId}`. */
export const openApiPath = (expressPath: string): string =>
  expressPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

/** Operations grouped by their first path segment; what every service has, as "service". */
const SERVICE_ROUTES = new Set(["health", "ready", "openapi.json", "docs", "metrics"]);
const tagOf = (path: string): string => {
  const first = path.split("/")[1] ?? "";
  return SERVICE_ROUTES.has(first) ? "service" : first;
};

const operationIdOf = (method: string, path: string): string =>
  method.toLowerCase() +
  path
    .split(/[/.-]/)
    .filter((s) => s !== "")
    .map((s) => (s.startsWith(":") ? `By${s.slice(1, 2).toUpperCase()}${s.slice(2)}` : s))
    .map((s) => s.slice(0, 1).toUpperCase() + s.slice(1))
    .join("");

const fieldsOf = (
  codec: t.Any | undefined,
  where: "path" | "query" | "header",
): ReadonlyArray<unknown> => {
  if (codec === undefined) return [];
  const schema = schemaOf(codec);
  if (schema.type !== "object" || schema.properties === undefined) {
    throw new Error(`the ${where} codec ${codec.name} must be an object of fields`);
  }
  const required = new Set((schema.required as ReadonlyArray<string> | undefined) ?? []);
  return Object.entries(schema.properties as Record<string, JsonSchema>).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    schema: s,
  }));
};

const IF_MATCH = {
  name: "if-match",
  in: "header",
  required: false,
  description:
    'The revision the command expects, as the ETag it was read with ("3"); `*` or none: any.',
  schema: { type: "string" },
};

const IDEMPOTENCY_KEY = {
  name: "idempotency-key",
  in: "header",
  required: false,
  description:
    "Makes a retry safe: the same key and body get the first answer again, and nothing is written twice.",
  schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,255}$" },
};

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: "OK",
  201: "Created",
  204: "No content",
  400: "Bad request",
  401: "Not signed in",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  412: "Precondition failed",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable",
  429: "Too many requests",
  500: "Server error",
  502: "Bad gateway",
  503: "Unavailable",
};

const POSITION_HEADERS = {
  [POSITION_HEADER]: {
    description:
      "Where the last event the command appended landed in the global log; absent when it appended nothing. A read given it as `Mebel-Min-Position` sees the write.",
    schema: schemaOf(PositionText),
  },
};

/** A command's JSON answer with the position it appended at, described by the very codecs. */
const withPosition = (route: RegisteredRoute, answer: t.Any): JsonSchema => {
  const own = schemaOf(answer).properties as Readonly<Record<string, unknown>> | undefined;
  if (own?.[POSITION_FIELD] !== undefined) {
    throw new Error(
      `${route.method} ${route.path}: its answer has a field "${POSITION_FIELD}" of its own, which a command's position would overwrite`,
    );
  }
  return schemaOf(t.intersection([answer, PositionField]));
};

/** An answer's media types; a command's JSON with the position it appended at. */
const contentOf = (
  route: RegisteredRoute,
  answer: Answer,
  tells: boolean,
): ResponseObject["content"] => {
  if (!isOtherAnswer(answer)) {
    return {
      "application/json": { schema: tells ? withPosition(route, answer) : schemaOf(answer) },
    };
  }
  const types = [answer.contentType].flat();
  return types.length === 0
    ? undefined
    : Object.fromEntries(types.map((type) => [type, {}] as const));
};

const responsesOf = (
  route: RegisteredRoute,
  spec: RouteSpec,
): Readonly<Record<string, ResponseObject>> => {
  const problems: ProblemCode[] = [...EVERY_ROUTE, ...policyProblems(route.access)];
  if (spec.params ?? spec.query ?? spec.headers ?? spec.body) problems.push("INVALID_REQUEST");
  if (spec.ifMatch === true) problems.push("INVALID_REQUEST", "PRECONDITION_FAILED");
  if (route.idempotent) {
    problems.push("INVALID_REQUEST", "IDEMPOTENCY_KEY_IN_USE", "IDEMPOTENCY_KEY_REUSED");
  }
  problems.push(...(spec.problems ?? []));
  const byStatus = new Map<number, Set<string>>();
  for (const p of problems) {
    const [status, code] = problemStatus(p);
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  const responses: Record<string, ResponseObject> = {};
  for (const [status, answer] of Object.entries(spec.responses)) {
    const tells = spec.command === true && Number(status) < 300;
    const content = contentOf(route, answer, tells);
    responses[status] = {
      description:
        (isOtherAnswer(answer) ? answer.description : undefined) ??
        STATUS_TEXT[Number(status)] ??
        status,
      ...(tells ? { headers: POSITION_HEADERS } : {}),
      ...(content === undefined ? {} : { content }),
    };
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const existing = responses[String(status)];
    const problem = { "application/problem+json": { schema: problemSchema([...codes]) } };
    responses[String(status)] = {
      ...existing,
      description: `${existing?.description ?? STATUS_TEXT[status] ?? status}: ${[...codes].sort().join(", ")}`,
      content: { ...existing?.content, ...problem },
    };
  }
  return responses;
};

const operationOf = (route: RegisteredRoute, spec: RouteSpec): Operation => {
  const parameters = [
    ...fieldsOf(spec.params, "path"),
    ...fieldsOf(spec.query, "query"),
    ...fieldsOf(spec.headers, "header"),
    ...(spec.ifMatch === true ? [IF_MATCH] : []),
    ...(route.idempotent ? [IDEMPOTENCY_KEY] : []),
  ];
  const owner = route.access?.anyone !== true ? route.access?.owner : undefined;
  return {
    operationId: operationIdOf(route.method, route.path),
    summary: spec.summary,
    description: [spec.description, whoMay(route.access)]
      .filter((s) => s !== undefined)
      .join("\n\n"),
    tags: [tagOf(route.path)],
    "x-roles": rolesOf(route.access),
    ...(owner === undefined ? {} : { "x-owner": owner }),
    security: securityOf(route.access),
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(spec.body === undefined
      ? {}
      : {
          requestBody: {
            required: !spec.body.is(undefined),
            content: { "application/json": { schema: schemaOf(spec.body) } },
          },
        }),
    responses: responsesOf(route, spec),
  };
};

/**
 * The OpenAPI 3.1 document of a service, from the routes it really serves: each with the spec
 * declared beside its handler and the policy it was registered under. A route without a spec is
 * listed as undocumented (the documentation test fails on it), so the document never hides one.
 */
export const openApiDocument = (
  info: DocumentInfo,
  routes: ReadonlyArray<RegisteredRoute>,
): OpenApiDocument => {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    const operation: Operation =
      route.spec === undefined
        ? {
            operationId: operationIdOf(route.method, route.path),
            summary: "Undocumented: this route declares no spec.",
            "x-undocumented": true,
            "x-roles": rolesOf(route.access),
            security: securityOf(route.access),
            responses: { default: { description: "Not described." } },
          }
        : operationOf(route, route.spec);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: { title: info.title, description: info.description, version: info.version },
    servers: [{ url: "/" }],
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "An access token of the shop's issuer (or the configured provider): `Authorization: Bearer <token>`.",
        },
        ticket: {
          type: "apiKey",
          in: "query",
          name: "ticket",
          description:
            "A single-use ticket from `POST /auth/ticket` (the site), for `EventSource`.",
        },
        refreshCookie: {
          type: "apiKey",
          in: "cookie",
          name: info.cookie ?? "mebel_refresh",
          description: "The HttpOnly refresh cookie `POST /auth/login` sets (the site).",
        },
      },
    },
    paths,
  };
};
