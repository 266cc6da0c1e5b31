import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express, type Request, type Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import helmet from "helmet";
import type { Logger } from "pino";
import { sendJson } from "./answer.js";
import { correlation } from "./correlation.js";
import { cors } from "./cors.js";
import { errorHandler, notFound, requireJsonBody } from "./errors.js";
import { toJson } from "./json.js";
import { observeRequests } from "./metrics/observe-requests.js";
import { defaultTelemetry, type Telemetry } from "./metrics/telemetry.js";
import { RESPONSE_CHECK_ENV, responseCheck } from "./openapi/response-check.js";
import { type Problem, sendProblem } from "./problem.js";
import { tellPosition } from "./read-your-writes.js";
import { STREAM_OPENED } from "./sse.js";

export interface HttpAppOptions {
  readonly logger: Logger;
  /** Largest JSON body accepted; larger ones are refused with 413 before they are parsed. */
  readonly bodyLimit?: string;
  /** Origins whose pages may call this service from a browser; none, CORS off, by default. */
  readonly corsOrigins?: ReadonlyArray<string>;
  /** Which service this is: the `service` label of its metrics. */
  readonly service?: string;
  /** The process's metrics and tracing; a process-wide default when none is given. */
  readonly telemetry?: Telemetry;
}

/** A credential in a query (the live feed's ticket) never reaches a log line. */
const loggedPath = (url: string): string =>
  url.replace(/([?&](?:ticket|token|access_token)=)[^&#]*/gi, "$1[redacted]");

/** An Express app with the conventions every service shares, routes still to be added. */
export const createHttpApp = (options: HttpAppOptions): Express => {
  const app = express();
  app.disable("x-powered-by");
  // An API's answers are never pages: no framing, no sniffing, no scripts, no referrer.
  app.use(helmet());
  if ((options.corsOrigins ?? []).length > 0) app.use(cors(options.corsOrigins ?? []));
  // ETags are ours (stream revisions), not hashes of response bodies.
  app.set("etag", false);
  app.use(correlation);
  const telemetry = options.telemetry ?? defaultTelemetry();
  const service = options.service ?? "mebel";
  if (telemetry.metrics.enabled || telemetry.tracing) app.use(observeRequests(telemetry, service));
  app.locals[STREAM_OPENED] = () => telemetry.metrics.streamOpened(service);
  // The test set-up's check of every answer against the service's own OpenAPI document.
  const checkFile = process.env[RESPONSE_CHECK_ENV];
  if (checkFile !== undefined && checkFile !== "") app.use(responseCheck(app, checkFile));
  app.use((req, res, next) => {
    // Asked per request, as the level may change while the service runs; below it, no line is
    // made, so no listener, clock or object is spent on one.
    if (!options.logger.isLevelEnabled("info")) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      options.logger.info(
        {
          correlationId: res.locals.correlationId,
          method: req.method,
          path: loggedPath(req.originalUrl),
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        "request",
      );
    });
    next();
  });
  app.use(requireJsonBody);
  app.use(express.json({ limit: options.bodyLimit ?? "16kb", strict: true }));
  return app;
};

/** Adds the catch-alls: unknown routes and unhandled errors become problem details. */
export const finishHttpApp = (app: Express, logger: Logger): Express => {
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
};

export interface Reply {
  readonly status?: number;
  readonly body: unknown;
  readonly etag?: string;
  readonly location?: string;
}

/** A route as a function to Either a problem or a reply: the one place replies are written. */
export const route =
  (handle: (req: Request, res: Response) => Promise<E.Either<Problem, Reply>>) =>
  async (req: Request, res: Response): Promise<void> => {
    const outcome = await handle(req, res);
    if (E.isLeft(outcome)) {
      sendProblem(res, outcome.left);
      return;
    }
    const reply = outcome.right;
    if (reply.etag !== undefined) res.setHeader("ETag", reply.etag);
    if (reply.location !== undefined) res.setHeader("Location", reply.location);
    const body = tellPosition(res, reply.body);
    sendJson(res, reply.status ?? 200, "application/json", toJson(body));
  };

export interface Listening {
  readonly url: string;
  readonly server: Server;
  /**
   * Stops accepting connections and resolves once every one is closed: idle ones at once, those
   * with a request in flight once it is answered, and whatever is still open after `graceMs`
   * (default 0: at once; server-sent event streams never finish by themselves) by force.
   */
  readonly close: (graceMs?: number) => Promise<void>;
}

/** How often connections that have become idle while draining are closed. */
const DRAIN_CHECK_MS = 25;

export const listen = (app: Express, port: number, host = "127.0.0.1"): Promise<Listening> =>
  new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once("error", reject);
    server.once("listening", () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${address.port}`,
        server,
        close: (graceMs = 0) =>
          new Promise<void>((done) => {
            const deadline = Date.now() + graceMs;
            const drain = setInterval(() => {
              if (Date.now() >= deadline) server.closeAllConnections();
              else server.closeIdleConnections();
            }, DRAIN_CHECK_MS);
            server.close(() => {
              clearInterval(drain);
              done();
            });
            if (graceMs <= 0) server.closeAllConnections();
            else server.closeIdleConnections();
          }),
      });
    });
  });
