import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { problem, sendProblem } from "@mebel/adapter-http";
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import helmet from "helmet";
import { isPagePath } from "../app/paths.js";
import { apiProxy, type Upstreams } from "./api-proxy.js";

/** Where `npm run build -w @mebel/web` puts the app. */
export const WEB_DIST = fileURLToPath(new URL("../dist", import.meta.url));

const NOT_BUILT = `<!doctype html><html lang="en"><title>Mebel</title>
<p>The web app is not built: run <code>npm run build -w @mebel/web</code>.</p></html>`;

/**
 * What the proxy's body reader and the static files throw (too large, unreadable, no such file)
 * answered as problem details: never Express's default page, which shows a stack trace.
 */
const asProblem: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const status = Number((error as { status?: unknown }).status);
  if (status === 404) sendProblem(res, problem(404, "ROUTE_NOT_FOUND", "There is no such file."));
  else if (status === 413) {
    sendProblem(res, problem(413, "PAYLOAD_TOO_LARGE", "The body is over the limit."));
  } else if (status >= 400 && status < 500) {
    sendProblem(res, problem(status, "INVALID_REQUEST", "The request cannot be read."));
  } else sendProblem(res, problem(500, "INTERNAL", "Something went wrong on our side."));
};

export interface WebOptions {
  readonly upstreams: Upstreams;
  readonly dist?: string;
}

/**
 * The browser app in front of the site: its pages and assets, and `/api/<service>` forwarded to
 * the other services. Everything else falls through to the site's own routes.
 */
export const withWebApp = (site: RequestHandler | Express, options: WebOptions): Express => {
  const dist = options.dist ?? WEB_DIST;
  const outer = express();
  outer.disable("x-powered-by");
  outer.use(apiProxy(options.upstreams));
  // The pages get the site's headers too: scripts, styles and calls from this origin only. No
  // upgrade to https, which a page on loopback cannot follow; a TLS proxy in front may add it.
  const pageHeaders = helmet({
    contentSecurityPolicy: {
      directives: { "style-src": ["'self'"], "upgrade-insecure-requests": null },
    },
  });
  outer.use(
    "/assets",
    pageHeaders,
    express.static(`${dist}/assets`, { immutable: true, maxAge: "1y", fallthrough: false }),
  );
  const pagesOnly: RequestHandler = (req, _res, next) => {
    next(isPagePath(req.path) && req.accepts("html") ? undefined : "route");
  };
  outer.get(/.*/, pagesOnly, pageHeaders, (_req, res) => {
    res.setHeader("Cache-Control", "no-cache");
    if (existsSync(`${dist}/index.html`)) res.sendFile(`${dist}/index.html`);
    else res.status(503).type("html").send(NOT_BUILT);
  });
  outer.use(site);
  outer.use(asProblem);
  return outer;
};
