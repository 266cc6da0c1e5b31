import { fieldErrors } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";

const httpUrl = t.refinement(
  t.string,
  (s) => {
    try {
      return ["http:", "https:"].includes(new URL(s).protocol);
    } catch {
      return false;
    }
  },
  "URL (http, https)",
);

/** The standard OpenTelemetry variables this process reads; the exporter reads its own others. */
const TracingEnv = t.partial({
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl,
  OTEL_TRACES_EXPORTER: t.keyof({ otlp: null, console: null, none: null }),
  OTEL_SERVICE_NAME: t.string,
});

export type TracingSettings =
  | { readonly kind: "off" }
  | { readonly kind: "otlp" | "console"; readonly serviceName: string };

/**
 * Traces are sent only when asked for: an OTLP endpoint named, or an exporter chosen. Otherwise
 * no SDK is loaded at all and every span is the API's no-op.
 */
export const readTracingSettings = (
  env: Readonly<Record<string, string | undefined>>,
  defaultServiceName: string,
): E.Either<ReadonlyArray<string>, TracingSettings> => {
  const given = Object.fromEntries(
    Object.entries(env).filter(
      ([k, v]) => k in TracingEnv.props && v !== undefined && v.trim() !== "",
    ),
  );
  const decoded = TracingEnv.decode(given);
  if (E.isLeft(decoded)) {
    return E.left(fieldErrors(decoded.left).map((e) => `${e.path}: expected ${e.expected}`));
  }
  const v = decoded.right;
  const exporter =
    v.OTEL_TRACES_EXPORTER ??
    ((v.OTEL_EXPORTER_OTLP_ENDPOINT ?? v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ? "otlp" : "none");
  if (exporter === "none") return E.right({ kind: "off" });
  return E.right({ kind: exporter, serviceName: v.OTEL_SERVICE_NAME ?? defaultServiceName });
};

/**
 * Starts the trace SDK as the settings say and registers it with the API; resolves to how to
 * flush and stop it. Loaded on demand, so a start without tracing never loads it.
 */
export const startTracing = async (
  settings: TracingSettings,
): Promise<(() => Promise<void>) | undefined> => {
  if (settings.kind === "off") return undefined;
  const [{ trace }, sdk, { resourceFromAttributes }] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/resources"),
  ]);
  const exporter =
    settings.kind === "console"
      ? new sdk.ConsoleSpanExporter()
      : new (await import("@opentelemetry/exporter-trace-otlp-http")).OTLPTraceExporter();
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ "service.name": settings.serviceName }),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter })],
  });
  trace.setGlobalTracerProvider(provider);
  return () => provider.shutdown();
};
