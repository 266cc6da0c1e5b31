import type { Observer } from "@mebel/core";
import {
  isSpanContextValid,
  ROOT_CONTEXT,
  type SpanContext,
  type SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * A W3C `traceparent` (version 00) as a remote span context; anything else is no parent at all:
 * a caller's bad trace header starts a new trace, it never fails the request.
 */
export const parseTraceparent = (header: unknown): SpanContext | undefined => {
  if (typeof header !== "string") return undefined;
  const match = TRACEPARENT.exec(header);
  if (match === null) return undefined;
  const context: SpanContext = {
    traceId: match[1] ?? "",
    spanId: match[2] ?? "",
    traceFlags: Number.parseInt(match[3] ?? "0", 16),
    isRemote: true,
  };
  return isSpanContextValid(context) ? context : undefined;
};

export const formatTraceparent = (context: SpanContext): string =>
  `00-${context.traceId}-${context.spanId}-${context.traceFlags.toString(16).padStart(2, "0")}`;

/**
 * Spans through `@opentelemetry/api`, parented explicitly by `traceparent` strings (no reliance on
 * async context): without an SDK started they are the API's no-op spans and cost next to nothing.
 */
export const startSpan = (
  name: string,
  parent: string | undefined,
  attributes: Readonly<Record<string, string | number | boolean>> = {},
  kind?: SpanKind,
) => {
  const parentContext = parseTraceparent(parent);
  const span = trace
    .getTracer("mebel")
    .startSpan(
      name,
      { attributes, ...(kind === undefined ? {} : { kind }) },
      parentContext === undefined
        ? ROOT_CONTEXT
        : trace.setSpanContext(ROOT_CONTEXT, parentContext),
    );
  const own = span.spanContext();
  return {
    span,
    traceparent: isSpanContextValid(own) ? formatTraceparent(own) : parent,
    end: (failure?: string): void => {
      if (failure !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
      span.end();
    },
  };
};

/** The span part of the core's observation port. */
export const tracingObserver: Pick<Observer, "span"> = {
  span: (name, parent, attributes) => {
    const { traceparent, end } = startSpan(name, parent, attributes);
    return { traceparent, end };
  },
};
