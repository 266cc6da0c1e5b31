import { problem, sendProblem } from "@mebel/adapter-http";
import express, { type Request, type Response, Router } from "express";
import { SERVICES, type ServiceName } from "../app/paths.js";

export type Upstreams = Readonly<Record<ServiceName, string>>;

const REQUEST_HEADERS = [
  "accept",
  "authorization",
  "content-type",
  "idempotency-key",
  "if-match",
  "mebel-min-position",
  "x-correlation-id",
];
const ANSWER_HEADERS = [
  "cache-control",
  "content-type",
  "etag",
  "idempotent-replayed",
  "mebel-position",
  "retry-after",
  "x-correlation-id",
];
const PATH = new RegExp(`^/api/(${SERVICES.join("|")})(/[^?#]*)?(\\?.*)?$`);

/**
 * `/api/<service>/...` on the site, passed as it is to the warehouse, delivery or catalog service
 * with the caller's own token: pages then have one origin (no CORS, no cookie sent elsewhere),
 * and each service still decides for itself who may call what. No rule of the shop lives here.
 */
export const apiProxy = (upstreams: Upstreams, timeoutMs = 10_000): Router => {
  const router = Router();
  router.use(
    "/api",
    express.raw({ type: () => true, limit: "1mb" }),
    async (req: Request, res: Response) => {
      const match = PATH.exec(req.originalUrl);
      if (match === null) {
        sendProblem(res, problem(404, "ROUTE_NOT_FOUND", "There is no such route."));
        return;
      }
      const service = match[1] as ServiceName;
      const target = `${upstreams[service].replace(/\/+$/, "")}${match[2] ?? "/"}${match[3] ?? ""}`;
      const headers = new Headers();
      for (const name of REQUEST_HEADERS) {
        const value = req.get(name);
        if (value !== undefined) headers.set(name, value);
      }
      const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined;
      let answer: globalThis.Response;
      // The timeout bounds an answer; a server-sent event stream, once open, lasts as its
      // client does.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), timeoutMs);
      try {
        answer = await fetch(target, {
          method: req.method,
          headers,
          ...(body === undefined ? {} : { body }),
          redirect: "manual",
          signal: abort.signal,
        });
      } catch {
        clearTimeout(timer);
        sendProblem(
          res,
          problem(503, "UPSTREAM_UNAVAILABLE", `The ${service} service cannot be reached.`),
        );
        return;
      }
      res.status(answer.status);
      for (const name of ANSWER_HEADERS) {
        const value = answer.headers.get(name);
        if (value !== null) res.setHeader(name, value);
      }
      const location = answer.headers.get("location");
      if (location?.startsWith("/")) res.setHeader("location", `/api/${service}${location}`);
      if (answer.headers.get("content-type")?.startsWith("text/event-stream") && answer.body) {
        clearTimeout(timer);
        res.on("close", () => abort.abort());
        res.flushHeaders();
        try {
          for await (const chunk of answer.body) res.write(chunk);
        } catch {
          // The client or the service hung up: either way the stream is over.
        }
        res.end();
        return;
      }
      try {
        res.send(Buffer.from(await answer.arrayBuffer()));
      } finally {
        clearTimeout(timer);
      }
    },
  );
  return router;
};
