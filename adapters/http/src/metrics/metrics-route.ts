import type { Request, Response } from "express";
import type { HealthSources } from "../health.js";
import type { RouteSpec } from "../openapi/route-spec.js";
import { defaultTelemetry, type Telemetry } from "./telemetry.js";

/**
 * `GET /metrics`: the process's registry in Prometheus text format. A service given its
 * telemetry also has its subscribers read at each scrape from what its /health reads.
 */
export const metricsEndpoint = (telemetry: Telemetry | undefined, health?: HealthSources) => {
  if (telemetry !== undefined && health !== undefined) telemetry.metrics.watch(health);
  const { registry } = (telemetry ?? defaultTelemetry()).metrics;
  return async (_req: Request, res: Response): Promise<void> => {
    const text = await registry.metrics();
    res.status(200).type(registry.contentType).send(text);
  };
};

export const METRICS_SPEC: RouteSpec = {
  summary: "Prometheus metrics of this process, in the text exposition format",
  responses: { 200: { contentType: "text/plain" } },
};
