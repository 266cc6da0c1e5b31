import { SpanKind } from "@opentelemetry/api";
import type { NextFunction, Request, Response } from "express";
import type { Telemetry } from "./telemetry.js";
import { startSpan } from "./tracing.js";

/** The template a request matched (`/orders/:orderId`), never its values. */
const routeOf = (req: Request): string =>
  req.route === undefined ? "unmatched" : `${req.baseUrl}${String(req.route.path)}`;

/**
 * Times every request into the duration histogram by route template and status, and with
 * tracing on, makes its server span, a child of the caller's `traceparent`; the span's own
 * context is left on `res.locals.traceparent` for the commands and calls the request makes.
 */
export const observeRequests =
  (telemetry: Telemetry, service: string) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const span = telemetry.tracing
      ? startSpan(`${req.method}`, req.get("traceparent"), {}, SpanKind.SERVER)
      : undefined;
    if (span?.traceparent !== undefined) res.locals.traceparent = span.traceparent;
    res.on("close", () => {
      const route = routeOf(req);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      telemetry.metrics.request(
        service,
        req.method,
        route,
        res.statusCode,
        seconds,
        res.getHeader("idempotent-replayed") === "true",
      );
      if (span !== undefined) {
        span.span.updateName(`${req.method} ${route}`);
        span.span.setAttributes({
          "http.request.method": req.method,
          "http.route": route,
          "http.response.status_code": res.statusCode,
          "mebel.service": service,
        });
        span.end(res.statusCode >= 500 ? String(res.statusCode) : undefined);
      }
    });
    next();
  };
