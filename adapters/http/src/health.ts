import type { Position, SubscriberStatus } from "@mebel/core";
import type { Request, Response } from "express";
import { toJson } from "./json.js";

export interface HealthSources {
  readonly subscribers: () => ReadonlyArray<SubscriberStatus>;
  readonly head: () => Promise<Position | undefined>;
}

export interface SubscriberHealth {
  readonly name: string;
  readonly state: SubscriberStatus["state"];
  readonly checkpoint: string | null;
  readonly head: string | null;
  /** Events (PostgreSQL, memory) or log positions (EventStoreDB) between checkpoint and head. */
  readonly lag: string | null;
  readonly error?: string;
}

export const subscriberHealth = async (
  sources: HealthSources,
): Promise<ReadonlyArray<SubscriberHealth>> => {
  const head = await sources.head();
  return sources.subscribers().map((s) => ({
    name: s.name,
    state: s.state,
    checkpoint: s.checkpoint?.toString() ?? null,
    head: head?.toString() ?? null,
    lag:
      head === undefined
        ? "0"
        : s.state === "standby"
          ? null
          : (head - (s.checkpoint ?? 0n)).toString(),
    ...(s.error === undefined ? {} : { error: s.error }),
  }));
};

/**
 * `/health`: every projection and process manager with its lag; 503 when one has failed.
 * `/ready`: 200 once the service can serve (its subscribers have started), else 503.
 */
export const healthRoutes = (sources: HealthSources) => ({
  health: async (_req: Request, res: Response): Promise<void> => {
    const subscribers = await subscriberHealth(sources);
    const failed = subscribers.some((s) => s.state === "failed");
    res
      .status(failed ? 503 : 200)
      .type("application/json")
      .send(toJson({ status: failed ? "failing" : "ok", subscribers }));
  },
  ready: (_req: Request, res: Response): void => {
    const ready = sources
      .subscribers()
      .every((s) => s.state === "running" || s.state === "standby");
    res.status(ready ? 200 : 503).json({ ready });
  },
});
