import { type Problem, problem } from "@mebel/adapter-http";
import { fieldErrors, noObserver, type Observer } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";

/** Another service's answer exactly as it came: status, headers (lower-case names) and body text. */
export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface UpstreamRequest {
  readonly method: "GET" | "POST" | "DELETE";
  /** Path and query, starting with `/`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON when present. */
  readonly body?: unknown;
}

export interface UpstreamOptions {
  /** Where the service answers, e.g. `http://warehouse:3002`; a path prefix is kept. */
  readonly baseUrl: string;
  /** How long one request may take, answer body included: a slow service must not hang the site. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Makes each call a client span under the `traceparent` it was given, sent on as its own. */
  readonly observer?: Observer;
}

export const DEFAULT_UPSTREAM_TIMEOUT_MS = 5_000;

export type Upstream = (request: UpstreamRequest) => Promise<E.Either<Problem, UpstreamAnswer>>;

const isTimeout = (error: unknown): boolean =>
  error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");

/** The service could not be reached or did not answer in time: 503, try again later. */
export const upstreamUnavailable = (service: string, detail: string): Problem =>
  problem(503, "UPSTREAM_UNAVAILABLE", `The ${service} service is not available right now.`, {
    detail,
    details: { service },
  });

/** The service answered, but not with anything the site can use: 502. */
export const badGateway = (service: string, detail: string): Problem =>
  problem(502, "BAD_GATEWAY", `The ${service} service gave an answer the site cannot use.`, {
    detail,
    details: { service },
  });

/** A service that answered with a failure of its own: still unavailable (503), else 502. */
export const upstreamFailed = (service: string, status: number): Problem =>
  status === 503
    ? upstreamUnavailable(service, "It answered 503.")
    : badGateway(service, `It answered ${status}.`);

/** One function per service that makes a request and never throws: every failure is a problem. */
export const createUpstream = (service: string, options: UpstreamOptions): Upstream => {
  const base = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
  const fetchFn = options.fetch ?? fetch;
  const observer = options.observer ?? noObserver;
  return async (request) => {
    const span = observer.span(`${service} ${request.method}`, request.headers?.traceparent, {
      "mebel.upstream": service,
    });
    const traced = await call(request, span.traceparent);
    span.end(E.isLeft(traced) ? traced.left.code : undefined);
    return traced;
  };

  async function call(
    request: UpstreamRequest,
    traceparent: string | undefined,
  ): Promise<E.Either<Problem, UpstreamAnswer>> {
    try {
      const response = await fetchFn(`${base}${request.path}`, {
        method: request.method,
        headers: {
          accept: "application/json",
          ...(request.body === undefined ? {} : { "content-type": "application/json" }),
          ...request.headers,
          ...(traceparent === undefined ? {} : { traceparent }),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await response.text();
      return E.right({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body,
      });
    } catch (error) {
      return E.left(
        upstreamUnavailable(
          service,
          isTimeout(error)
            ? `No answer within ${timeoutMs} ms.`
            : `Could not reach it (${error instanceof Error ? error.message : String(error)}).`,
        ),
      );
    }
  }
};

/** A 200 answer decoded with io-ts; anything else from the service is a 502 for the site's caller. */
export const decodeAnswer =
  <A>(service: string, codec: t.Decoder<unknown, A>) =>
  (answer: UpstreamAnswer): E.Either<Problem, A> => {
    if (answer.status !== 200) return E.left(upstreamFailed(service, answer.status));
    let json: unknown;
    try {
      json = JSON.parse(answer.body);
    } catch {
      return E.left(badGateway(service, "Its answer is not JSON."));
    }
    const decoded = codec.decode(json);
    if (E.isRight(decoded)) return decoded;
    const fields = fieldErrors(decoded.left)
      .map((e) => `${e.path}: expected ${e.expected}`)
      .join("; ");
    return E.left(badGateway(service, `Its answer does not match the contract: ${fields}.`));
  };
