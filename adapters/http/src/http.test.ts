import { createMemoryIdempotencyStore } from "@mebel/adapter-memory";
import { StoreUnavailableError } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApp, finishHttpApp, type Listening, listen, route } from "./app.js";
import { etagOf, parseIfMatch } from "./etag.js";
import { idempotency, stableId } from "./idempotency.js";
import { createLogger } from "./logger.js";
import { domainProblem } from "./problem.js";
import { decodePart } from "./validation.js";

const logger = createLogger("test", "silent");
const Body = t.type({ name: t.string, count: t.number });
let writes = 0;

const app = createHttpApp({ logger, bodyLimit: "1kb" });
app.post(
  "/things",
  idempotency(createMemoryIdempotencyStore(), logger),
  route(async (req, res) => {
    const body = decodePart(Body, "body")(req.body);
    if (E.isLeft(body)) return body;
    if (body.right.name === "taken") {
      return E.left(domainProblem({ code: "THING_TAKEN", message: "That name is taken." }));
    }
    writes += 1;
    const id = stableId(res, "thing", () => `fresh-${writes}`);
    return E.right({
      status: 201,
      body: { id, ...body.right },
      etag: etagOf(0n),
      location: `/things/${id}`,
    });
  }),
);
app.get("/boom", () => {
  throw new Error("kaboom");
});
app.get(
  "/needs-the-store",
  route(async () => {
    throw new StoreUnavailableError("PostgreSQL is unavailable: connect ECONNREFUSED", {
      cause: new Error("connect ECONNREFUSED"),
    });
  }),
);
finishHttpApp(app, logger);

let server: Listening;
beforeAll(async () => {
  server = await listen(app, 0);
});
afterAll(() => server.close());

/** What these tests read of a JSON answer. */
interface Answer {
  readonly id: string;
  readonly code: string;
  readonly type: string;
  readonly errors: ReadonlyArray<{ readonly path: string }>;
}
const json = async (res: Response): Promise<Answer> => (await res.json()) as Answer;

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/things`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

describe("HTTP conventions", () => {
  it("answers a valid command with its body, ETag, Location and correlation id", async () => {
    const res = await post(JSON.stringify({ name: "chair", count: 2 }), {
      "x-correlation-id": "abc-1",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("etag")).toBe('"0"');
    expect(res.headers.get("x-correlation-id")).toBe("abc-1");
    expect(await json(res)).toMatchObject({ name: "chair", count: 2 });
  });

  it("names every failing field of an invalid body in a 400 problem", async () => {
    const res = await post(JSON.stringify({ name: 3 }));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = await json(res);
    expect(problem.code).toBe("INVALID_REQUEST");
    expect(problem.errors.map((e) => e.path).sort()).toEqual(["body.count", "body.name"]);
  });

  it("refuses malformed JSON, a wrong media type, a huge body and a bad correlation id", async () => {
    expect((await post("{not json")).status).toBe(400);
    const text = await fetch(`${server.url}/things`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "hi",
    });
    expect(text.status).toBe(415);
    expect((await post(JSON.stringify({ name: "x".repeat(5_000), count: 1 }))).status).toBe(413);
    const badHeader = await post(JSON.stringify({ name: "a", count: 1 }), {
      "x-correlation-id": "no spaces",
    });
    expect(badHeader.status).toBe(400);
    for (const res of [text, badHeader])
      expect((await json(res)).type).toMatch(/^urn:mebel:problem:/);
  });

  it("maps a domain refusal to 409 with its code", async () => {
    const res = await post(JSON.stringify({ name: "taken", count: 1 }));
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ code: "THING_TAKEN", title: "That name is taken." });
  });

  it("answers unknown routes and unhandled errors with problems, not stack traces", async () => {
    const missing = await fetch(`${server.url}/nowhere`);
    expect(missing.status).toBe(404);
    const boom = await fetch(`${server.url}/boom`);
    expect(boom.status).toBe(500);
    expect(JSON.stringify(await json(boom))).not.toContain("kaboom");
  });

  it("answers a store that cannot be reached with 503 and Retry-After, not 500", async () => {
    const res = await fetch(`${server.url}/needs-the-store`);
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await json(res);
    expect(body).toMatchObject({ status: 503, code: "STORE_UNAVAILABLE" });
    expect(JSON.stringify(body)).not.toContain("ECONNREFUSED");
  });

  it("replays the first answer to a retried Idempotency-Key and writes nothing twice", async () => {
    const body = JSON.stringify({ name: "lamp", count: 1 });
    const before = writes;
    const first = await post(body, { "idempotency-key": "key-1" });
    const again = await post(body, { "idempotency-key": "key-1" });
    expect(again.status).toBe(first.status);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await json(again)).toEqual(await json(first));
    expect(writes).toBe(before + 1);
    const reused = await post(JSON.stringify({ name: "sofa", count: 1 }), {
      "idempotency-key": "key-1",
    });
    expect(reused.status).toBe(422);
  });

  it("derives created ids from the idempotency key, so a re-run after a crash creates the same thing", async () => {
    const a = await json(
      await post(JSON.stringify({ name: "bed", count: 1 }), { "idempotency-key": "key-2" }),
    );
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("request lines", () => {
  it("logs every answer at info, with its correlation id and no ticket, and none below", async () => {
    const lines: string[] = [];
    const into = createLogger("test", "info", { write: (line: string) => lines.push(line) });
    const logged = createHttpApp({ logger: into });
    logged.post(
      "/things",
      route(async () => E.right({ status: 201, body: {} })),
    );
    const listening = await listen(finishHttpApp(logged, into), 0);
    try {
      const send = () =>
        fetch(`${listening.url}/things?ticket=secret-ticket-value`, {
          method: "POST",
          headers: { "x-correlation-id": "line-1" },
        });
      expect((await send()).status).toBe(201);
      expect(lines.map((line) => JSON.parse(line))).toEqual([
        expect.objectContaining({
          msg: "request",
          correlationId: "line-1",
          method: "POST",
          path: "/things?ticket=[redacted]",
          status: 201,
          ms: expect.any(Number),
        }),
      ]);
      into.level = "warn";
      expect((await send()).status).toBe(201);
      expect(lines).toHaveLength(1);
    } finally {
      await listening.close();
    }
  });
});

describe("If-Match", () => {
  it("reads one entity tag, weak or strong, and refuses anything else", () => {
    expect(parseIfMatch(undefined)).toEqual(E.right(undefined));
    expect(parseIfMatch("*")).toEqual(E.right(undefined));
    expect(parseIfMatch('"7"')).toEqual(E.right(7n));
    expect(parseIfMatch('W/"7"')).toEqual(E.right(7n));
    // Past 2^53, read exactly; past 2^63 - 1, no revision at all.
    expect(parseIfMatch('"9007199254740993"')).toEqual(E.right(9_007_199_254_740_993n));
    expect(parseIfMatch('"9223372036854775807"')).toEqual(E.right(9_223_372_036_854_775_807n));
    for (const bad of ["7", '"a"', '"1", "2"', '"9223372036854775808"', '"007"']) {
      expect(E.isLeft(parseIfMatch(bad)), bad).toBe(true);
    }
  });
});
