import type { CheckpointAge, Position, SubscriberStatus } from "@mebel/core";
import type { Request, Response } from "express";
import * as t from "io-ts";
import { toJson } from "./json.js";
import { Digits } from "./openapi/codec-schemas.js";
import type { RouteSpec } from "./openapi/route-spec.js";

/** Connections an instance may hold open at most, by kind (a driver's own count). */
export interface ConnectionCounts {
  readonly pool: number;
  readonly listener: number;
  readonly session: number;
  readonly thread: number;
}

export interface HealthSources {
  readonly subscribers: () => ReadonlyArray<SubscriberStatus>;
  /** Reconciliation sweeps: no checkpoint of their own, but failing one is failing too. */
  readonly sweeps?: () => ReadonlyArray<SubscriberStatus>;
  readonly head: () => Promise<Position | undefined>;
  /** When each stored checkpoint last moved, by subscriber name (the read-model store's own). */
  readonly checkpointAges?: () => Promise<ReadonlyMap<string, CheckpointAge>>;
  readonly connections?: () => ConnectionCounts;
  /** The mail outbox: depth, oldest pending age, sent, retried, failed. */
  readonly outbox?: () => Promise<object>;
}

/** The outbox's figures, or `known: false` while its store cannot say. */
const outboxOf = async (sources: HealthSources): Promise<object | undefined> => {
  if (sources.outbox === undefined) return undefined;
  try {
    return await sources.outbox();
  } catch {
    return { known: false };
  }
};

export interface SubscriberHealth {
  readonly name: string;
  readonly state: SubscriberStatus["state"];
  readonly checkpoint: string | null;
  readonly head: string | null;
  /** Events (PostgreSQL, memory) or log positions (EventStoreDB) between checkpoint and head. */
  readonly lag: string | null;
  /** When its stored checkpoint last moved, and the seconds since: absent until one is stored. */
  readonly checkpointMovedAt?: string;
  readonly checkpointAgeSeconds?: number;
  readonly error?: string;
  readonly retry?: SubscriberStatus["retry"];
  readonly failedEvent?: SubscriberStatus["failedEvent"];
  readonly parked?: number;
}

/** The head, or `known: false` while the store cannot say: health must answer even then. */
const headOf = async (
  sources: HealthSources,
): Promise<{ readonly known: boolean; readonly head?: Position }> => {
  try {
    const head = await sources.head();
    return head === undefined ? { known: true } : { known: true, head };
  } catch {
    return { known: false };
  }
};

/** The stored checkpoints' ages, or none while the store cannot say: health answers even then. */
const agesOf = async (sources: HealthSources): Promise<ReadonlyMap<string, CheckpointAge>> => {
  try {
    return (await sources.checkpointAges?.()) ?? new Map();
  } catch {
    return new Map();
  }
};

export const subscriberHealth = async (
  sources: HealthSources,
): Promise<ReadonlyArray<SubscriberHealth>> => {
  const [{ known, head }, ages] = await Promise.all([headOf(sources), agesOf(sources)]);
  return sources.subscribers().map((s) => ({
    name: s.name,
    state: s.state,
    checkpoint: s.checkpoint?.toString() ?? null,
    head: head?.toString() ?? null,
    lag: !known
      ? null
      : head === undefined
        ? "0"
        : s.state === "standby"
          ? null
          : lagOf(head, s.checkpoint),
    ...ageOf(ages.get(s.name)),
    ...(s.error === undefined ? {} : { error: s.error }),
    ...(s.retry === undefined ? {} : { retry: s.retry }),
    ...(s.failedEvent === undefined ? {} : { failedEvent: s.failedEvent }),
    ...(s.parked === undefined ? {} : { parked: s.parked }),
  }));
};

/**
 * The head is read before the subscribers are asked, and a subscriber may handle events appended
 * meanwhile: one past the head it read is caught up, not behind by a negative count.
 */
const lagOf = (head: bigint, checkpoint: bigint | undefined): string => {
  const behind = head - (checkpoint ?? 0n);
  return (behind > 0n ? behind : 0n).toString();
};

const ageOf = (age: CheckpointAge | undefined) =>
  age === undefined ? {} : { checkpointMovedAt: age.movedAt, checkpointAgeSeconds: age.seconds };

/** The budget with its total: pool + listeners + lock sessions (+ PGlite threads). */
export const connectionHealth = (counts: ConnectionCounts) => ({
  ...counts,
  total: counts.pool + counts.listener + counts.session + counts.thread,
});

/**
 * States in which a service serves. A retrying subscriber comes back by itself, and while the
 * store is away every instance is in the same state: taking them out of rotation would only turn
 * the 503 with Retry-After into the proxy's own error.
 */
const SERVING: ReadonlySet<SubscriberStatus["state"]> = new Set(["running", "standby", "retrying"]);

/**
 * `/health`: every projection and process manager with its lag, the sweeps, and the connection
 * budget; 503 when one has failed (only a restart by hand helps), "degraded" while one retries.
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
    const outbox = await outboxOf(sources);
    const all = [...subscribers, ...sweeps];
    const failed = all.some((s) => s.state === "failed");
    const retrying = all.some((s) => s.state === "retrying");
    res
      .status(failed ? 503 : 200)
      .type("application/json")
      .send(
        toJson({
          status: failed ? "failing" : retrying ? "degraded" : "ok",
          subscribers,
          ...(sources.sweeps === undefined ? {} : { sweeps }),
          ...(sources.connections === undefined
            ? {}
            : { connections: connectionHealth(sources.connections()) }),
          ...(outbox === undefined ? {} : { outbox }),
        }),
      );
  },
  ready: (_req: Request, res: Response): void => {
    const ready = sources.subscribers().every((s) => SERVING.has(s.state));
    res.status(ready ? 200 : 503).json({ ready });
  },
});

const State = t.keyof({
  starting: null,
  running: null,
  standby: null,
  retrying: null,
  failed: null,
  stopped: null,
});

const HealthBody = t.intersection([
  t.type({
    status: t.keyof({ ok: null, degraded: null, failing: null }),
    subscribers: t.readonlyArray(
      t.intersection([
        t.type({
          name: t.string,
          state: State,
          checkpoint: t.union([Digits, t.null]),
          head: t.union([Digits, t.null]),
          lag: t.union([Digits, t.null]),
        }),
        t.partial({
          checkpointMovedAt: t.string,
          checkpointAgeSeconds: t.number,
          error: t.string,
          retry: t.UnknownRecord,
          failedEvent: t.UnknownRecord,
          parked: t.number,
        }),
      ]),
    ),
  }),
  t.partial({
    sweeps: t.readonlyArray(
      t.intersection([
        t.type({ name: t.string, state: State, settled: t.number }),
        t.partial({ error: t.string }),
      ]),
    ),
    connections: t.type({
      pool: t.number,
      listener: t.number,
      session: t.number,
      thread: t.number,
      total: t.number,
    }),
  }),
]);

export const HEALTH_SPEC: RouteSpec = {
  summary: "Every projection, process manager and sweep with its lag; 503 once one has failed",
  responses: { 200: HealthBody, 503: HealthBody },
};

const ReadyBody = t.type({ ready: t.boolean });
export const READY_SPEC: RouteSpec = {
  summary: "Whether this instance serves: its subscribers have started",
  responses: { 200: ReadyBody, 503: ReadyBody },
};
