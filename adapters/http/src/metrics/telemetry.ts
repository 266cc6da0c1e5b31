import { noObserver, type Observer } from "@mebel/core";
import { Registry } from "prom-client";
import { createMetrics, type Metrics } from "./metrics.js";
import { tracingObserver } from "./tracing.js";

/** What a process tells about itself: its metrics always, its spans when tracing is on. */
export interface Telemetry {
  readonly metrics: Metrics;
  /** Spans are made (an OpenTelemetry SDK was started); off, nothing is spent on them. */
  readonly tracing: boolean;
  /** The core's observation port: the metrics' part, and the spans when tracing. */
  readonly observer: Observer;
}

export const createTelemetry = (
  options: { readonly metrics?: Metrics; readonly tracing?: boolean } = {},
): Telemetry => {
  const metrics = options.metrics ?? createMetrics();
  const tracing = options.tracing ?? false;
  return {
    metrics,
    tracing,
    observer: { ...noObserver, ...metrics.observer, ...(tracing ? tracingObserver : {}) },
  };
};

/**
 * Nothing measured, nothing traced, `/metrics` empty: the benches' "metrics off", so what metrics
 * cost is measured against their absence.
 */
export const disabledTelemetry = (): Telemetry => ({
  metrics: {
    enabled: false,
    registry: new Registry(),
    observer: noObserver,
    observeStore: (store) => store,
    watch: () => {},
    request: () => {},
    streamOpened: () => () => {},
  },
  tracing: false,
  observer: noObserver,
});

let processTelemetry: Telemetry | undefined;

/**
 * The telemetry of a service built without any (tests, tools): one per process, as Prometheus
 * clients expect, so `/metrics` still answers.
 */
export const defaultTelemetry = (): Telemetry => {
  processTelemetry ??= createTelemetry();
  return processTelemetry;
};
