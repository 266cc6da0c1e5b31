import type { Position, SubscriberStatus } from "@mebel/core";
import type { Request, Response } from "express";
import { toJson } from "./json.js";

export interface HealthSources {
  readonly subscribers: () => ReadonlyArray<SubscriberStatus>;
  /** Reconciliation sweeps: no checkpoint of their own, but failing one is failing too. */
  readonly sweeps?: () => ReadonlyArray<SubscriberStatus>;
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
  readonly retry?: SubscriberStatus["retry"];
  readonly failedEvent?: SubscriberStatus["failedEvent"];
  readonly parked?: number;
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
    ...(s.retry === undefined ? {} : { retry: s.retry }),
    ...(s.failedEvent === undefined ? {} : { failedEvent: s.failedEvent }),
    ...(s.parked === undefined ? {} : { parked: s.parked }),
  }));
};

/**
 * `/health`: every projection and process manager with its lag; 503 when one has failed.
 * `/ready`: 200 once the service can serve (its subscribers have started), else 503.
 */
export const healthRoutes = (sources: HealthSources) => ({
  health: async (_req: Request, res: Response): Promise<void> => {
    const subscribers = await subscriberHealth(sources);
    const sweeps = (sources.sweeps?.() ?? []).map((s) => ({
      name: s.name,
      state: s.state,
      settled: s.handled,
      ...(s.error === undefined ? {} : { error: s.error }),
    }));
    const failed = [...subscribers, ...sweeps].some((s) => s.state === "failed");
    res
      .status(failed ? 503 : 200)
      .type("application/json")
      .send(
        toJson({
          status: failed ? "failing" : "ok",
          subscribers,
          ...(sources.sweeps === undefined ? {} : { sweeps }),
        }),
      );
  },
  ready: (_req: Request, res: Response): void => {
    const ready = sources
      .subscribers()
      .every((s) => s.state === "running" || s.state === "standby");
    res.status(ready ? 200 : 503).json({ ready });
  },
});
