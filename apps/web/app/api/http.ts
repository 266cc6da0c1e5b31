import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { badAnswer, networkProblem, Problem } from "./problems.js";

export type Result<A> =
  | {
      readonly ok: true;
      readonly value: A;
      readonly etag: string | null;
      /** Where a command's events landed (`Mebel-Position`): what a read of it waits for. */
      readonly position?: string | null;
    }
  | { readonly ok: false; readonly problem: Problem };

export interface Call<A> {
  readonly method?: "GET" | "POST" | "DELETE";
  readonly path: string;
  readonly codec: t.Type<A, unknown, unknown>;
  readonly body?: unknown;
  /** Commands carry a fresh key: a retry of the same click is the same command. */
  readonly idempotencyKey?: string;
  readonly token?: string | undefined;
  readonly credentials?: boolean;
  /** Answer only from a view that has reached this position (read-your-writes). */
  readonly minPosition?: string | undefined;
}

const uuid = (): string =>
  typeof crypto.randomUUID === "function"
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
        b.toString(16).padStart(2, "0"),
      ).join("");

export const newKey = uuid;

/** One HTTP call, its answer decoded: either the value or a problem to show in words. */
export const call = async <A>(c: Call<A>): Promise<Result<A>> => {
  const method = c.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  if (c.body !== undefined) headers["content-type"] = "application/json";
  if (c.token !== undefined) headers.authorization = `Bearer ${c.token}`;
  if (method !== "GET") headers["idempotency-key"] = c.idempotencyKey ?? uuid();
  if (c.minPosition !== undefined) headers["mebel-min-position"] = c.minPosition;
  let answer: Response;
  try {
    answer = await fetch(c.path, {
      method,
      headers,
      credentials: c.credentials ? "same-origin" : "omit",
      ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
    });
  } catch {
    return { ok: false, problem: networkProblem() };
  }
  const text = await answer.text();
  let json: unknown;
  try {
    json = text === "" ? null : JSON.parse(text);
  } catch {
    return { ok: false, problem: badAnswer(c.path) };
  }
  if (!answer.ok) {
    const p = Problem.decode(json);
    return {
      ok: false,
      problem: E.isRight(p)
        ? p.right
        : { status: answer.status, code: `HTTP_${answer.status}`, title: answer.statusText },
    };
  }
  const decoded = c.codec.decode(json);
  if (E.isLeft(decoded)) return { ok: false, problem: badAnswer(c.path) };
  return {
    ok: true,
    value: decoded.right,
    etag: answer.headers.get("etag"),
    position: answer.headers.get("mebel-position"),
  };
};
