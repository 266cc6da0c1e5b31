import * as E from "fp-ts/lib/Either.js";
import { domainEvents } from "../domain/events.js";
import {
  decodeRecorded,
  describeDecodeError,
  type Position,
  type StoredEvent,
} from "../events/recorded-event.js";
import type { Clock } from "../ports/clock.js";
import type { EventStore } from "../ports/event-store.js";
import type { Locks } from "../ports/locks.js";
import { type Logger, silentLogger } from "../ports/logger.js";
import { noObserver, type Observer } from "../ports/observer.js";
import { CheckpointMovedError } from "../ports/read-model-store.js";
import { isStoreUnavailable } from "../ports/store-unavailable.js";
import type { DomainRecordedEvent } from "../projections/projection.js";

/**
 * `retrying`: the store could not be reached; the lock is given up (a standby may take over) and
 * the next attempt is due at `retry.nextAttemptAt`. `failed`: what retrying cannot fix (an event
 * that does not decode, a refusal that contradicts the log, a bug), named in `error`.
 */
export type SubscriberState =
  | "starting"
  | "standby"
  | "running"
  | "retrying"
  | "failed"
  | "stopped";

/** Where in the log a subscriber stopped: the event it could not get past. */
export interface FailedEvent {
  readonly streamName: string;
  /** Decimal, as the position: both go out as JSON (`/health`, the CLI). */
  readonly revision: string;
  readonly position: string;
  readonly type: string;
}

export interface SubscriberStatus {
  readonly name: string;
  readonly state: SubscriberState;
  readonly checkpoint?: Position;
  /** Events handled by this instance since it started. */
  readonly handled: number;
  readonly error?: string;
  readonly retry?: {
    readonly attempt: number;
    readonly nextAttemptAt: string;
    readonly lastError: string;
  };
  readonly failedEvent?: FailedEvent;
  /** Events an operator parked for this subscriber, which it steps over. */
  readonly parked?: number;
}

export interface RunningSubscriber {
  readonly name: string;
  readonly status: () => SubscriberStatus;
  /** Resolves once everything up to `position` has been handled (and checkpointed). */
  readonly waitUntil: (position: Position) => Promise<void>;
  readonly stop: () => Promise<void>;
}

export interface SubscriberDeps {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly locks?: Locks;
  readonly logger?: Logger;
  /** Told of each batch, each stumble, and (by the runners) each event handled, as a span. */
  readonly observer?: Observer;
}

/** Backoff between attempts while the store cannot be reached: capped, exponential, jittered. */
export interface ReconnectPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultReconnectPolicy: ReconnectPolicy = { baseDelayMs: 100, maxDelayMs: 5_000 };

export interface SubscriberSpec {
  readonly name: string;
  readonly categories: ReadonlyArray<string>;
  readonly maxBatch?: number;
  /** How often a standby instance tries to take over the lock. */
  readonly standbyRetryMs?: number;
  readonly reconnect?: ReconnectPolicy;
  readonly loadCheckpoint: () => Promise<Position | undefined>;
  /** Positions of the events an operator parked for this subscriber (`mebel projections skip`). */
  readonly loadParked?: () => Promise<ReadonlyArray<{ readonly position: string }>>;
  /**
   * Applies a batch and stores `position` as the checkpoint, atomically with its effects, provided
   * the stored checkpoint is still `expected` (else CheckpointMovedError, and it is reloaded).
   * `fence` throws once the lock is lost: called before each effect and before the commit, so an
   * instance that may no longer lead stops at once.
   */
  readonly handle: (
    events: ReadonlyArray<DomainRecordedEvent>,
    position: Position,
    expected: Position | null,
    fence: () => void,
  ) => Promise<void>;
}

/** The lock went away under a running subscriber: it stops and joins the standbys. */
export class LeadershipLostError extends Error {
  override readonly name = "LeadershipLostError";
}

/** A handler that cannot get past one event, named so that /health and the CLI can say where. */
export class EventHandlingError extends Error {
  override readonly name: string = "EventHandlingError";
  constructor(
    message: string,
    readonly event: FailedEvent,
  ) {
    super(message);
  }
}

export const failedEventOf = (event: DomainRecordedEvent): FailedEvent => ({
  streamName: event.streamName,
  revision: event.revision.toString(),
  position: event.position.toString(),
  type: event.event.type,
});

/** Thrown for a stored event of ours that does not decode: the subscriber stops, loudly. */
export class CorruptEventError extends EventHandlingError {
  override readonly name = "CorruptEventError";
}

const decodeDomainEvent = decodeRecorded(domainEvents);

/** Our events decoded; other types on the same streams (written by other tools) are skipped. */
export const decodeBatch = (
  events: ReadonlyArray<StoredEvent>,
): ReadonlyArray<DomainRecordedEvent> => {
  const decoded: DomainRecordedEvent[] = [];
  for (const stored of events) {
    if (!domainEvents.has(stored.type)) continue;
    const result = decodeDomainEvent(stored);
    if (E.isLeft(result)) {
      throw new CorruptEventError(describeDecodeError(stored, result.left), {
        streamName: stored.streamName,
        revision: stored.revision.toString(),
        position: stored.position.toString(),
        type: stored.type,
      });
    }
    decoded.push(result.right);
  }
  return decoded;
};

/**
 * A checkpointed, at-least-once subscriber that runs only while it holds its lock: the one engine
 * under projections and process managers. Whatever `handle` commits with the position is what a
 * restart resumes from.
 *
 * It survives the infrastructure: a store that cannot be reached (`StoreUnavailableError`) makes
 * it give up its lock, wait (capped exponential backoff, full jitter) and start again from the
 * stored checkpoint through the normal standby path; a lock lost under it (the lock's session
 * dropped) stops it at once, before a standby can take over. Only what retrying cannot fix ends in
 * `failed`.
 */
export const startSubscriber = (spec: SubscriberSpec, deps: SubscriberDeps): RunningSubscriber => {
  const logger = deps.logger ?? silentLogger;
  const observer = deps.observer ?? noObserver;
  const reconnect = spec.reconnect ?? defaultReconnectPolicy;
  let state: SubscriberState = "starting";
  /** Everything up to here is handled. */
  let checkpoint: Position | undefined;
  /** What the store holds: behind `checkpoint` while only events for others have passed. */
  let stored: Position | undefined;
  let handled = 0;
  let error: string | undefined;
  let failedEvent: FailedEvent | undefined;
  let retry: SubscriberStatus["retry"];
  let parked: ReadonlySet<string> = new Set();
  let stopping = false;
  let stopSubscription: (() => Promise<void>) | undefined;
  let wake: (() => void) | undefined;
  const waiters = new Set<{
    position: Position;
    resolve: () => void;
    reject: (e: Error) => void;
  }>();

  const settleWaiters = (): void => {
    for (const waiter of waiters) {
      if (state === "failed") waiter.reject(new Error(`${spec.name} failed: ${error}`));
      else if (checkpoint !== undefined && checkpoint >= waiter.position) waiter.resolve();
      else continue;
      waiters.delete(waiter);
    }
  };

  /** Sleeps, but wakes at once when the subscriber is stopped. */
  const pause = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      wake = resolve;
      void deps.clock.sleep(ms).then(resolve);
    });

  /** The lock (waiting as a standby while another instance has it); undefined once stopping. */
  const acquire = async (
    onLost: (reason: Error) => void,
  ): Promise<(() => Promise<void>) | undefined> => {
    if (deps.locks === undefined) return async () => {};
    for (;;) {
      if (stopping) return undefined;
      const release = await deps.locks.tryAcquire(`subscriber:${spec.name}`, onLost);
      if (release !== undefined) return release;
      state = "standby";
      retry = undefined;
      await pause(spec.standbyRetryMs ?? 1_000);
    }
  };

  /** Follows the log from the stored checkpoint until stopped, the checkpoint moves or the lock is lost. */
  const follow = async (fence: () => void): Promise<"stopped" | "moved"> => {
    checkpoint = await spec.loadCheckpoint();
    stored = checkpoint;
    parked = new Set((await spec.loadParked?.())?.map((p) => p.position));
    fence();
    state = "running";
    retry = undefined;
    settleWaiters();
    logger.info(
      { subscriber: spec.name, checkpoint: checkpoint?.toString() },
      "subscriber started",
    );
    const subscription = deps.store.subscribe(
      {
        ...(checkpoint === undefined ? {} : { after: checkpoint }),
        categories: spec.categories,
        maxBatch: spec.maxBatch ?? 1_000,
      },
      async (batch) => {
        fence();
        const events = decodeBatch(
          parked.size === 0
            ? batch.events
            : batch.events.filter((e) => !parked.has(e.position.toString())),
        );
        // A batch with nothing for us moves the checkpoint in memory only: persisting it would
        // cost every subscriber a write per append. A restart then merely reads past those again.
        if (events.length > 0) {
          await spec.handle(events, batch.position, stored ?? null, fence);
          stored = batch.position;
        }
        checkpoint = batch.position;
        handled += events.length;
        attempt = 0;
        observer.progressed(spec.name, events.length);
        settleWaiters();
      },
    );
    stopSubscription = subscription.stop;
    if (stopping) await subscription.stop();
    try {
      await subscription.done;
      fence();
      return "stopped";
    } catch (error) {
      if (error instanceof CheckpointMovedError) return "moved";
      throw error;
    } finally {
      stopSubscription = undefined;
    }
  };

  /** Consecutive attempts that met an unreachable store; back to 0 once a batch goes through. */
  let attempt = 0;

  /** One term as leader: from taking the lock to giving it up, for whatever reason. */
  const lead = async (): Promise<"stopped" | "again"> => {
    let lost: Error | undefined;
    const fence = (): void => {
      if (lost !== undefined) throw new LeadershipLostError(lost.message);
    };
    let release: (() => Promise<void>) | undefined;
    try {
      release = await acquire((reason) => {
        lost = reason;
        logger.warn({ subscriber: spec.name, reason: reason.message }, "subscriber lost its lock");
        void stopSubscription?.();
      });
      if (release === undefined) return "stopped";
      // A rebuild swapped in under us: start again from the checkpoint that is stored now.
      while ((await follow(fence)) === "moved" && !stopping) {
        logger.info({ subscriber: spec.name }, "checkpoint moved; resuming from the stored one");
      }
      return "stopped";
    } catch (e) {
      if (lost !== undefined || e instanceof LeadershipLostError) {
        state = "standby";
        return "again";
      }
      if (!isStoreUnavailable(e)) throw e;
      const delay = Math.floor(
        Math.random() * Math.min(reconnect.maxDelayMs, reconnect.baseDelayMs * 2 ** attempt),
      );
      attempt += 1;
      const lastError = e.message;
      state = "retrying";
      observer.stumbled(spec.name, "retrying");
      retry = {
        attempt,
        nextAttemptAt: new Date(deps.clock.now().getTime() + delay).toISOString(),
        lastError,
      };
      logger.warn(
        { subscriber: spec.name, attempt, delayMs: delay, error: lastError },
        "subscriber cannot reach its store; retrying",
      );
      // Given up while waiting, so a standby that can reach the store takes over.
      await release?.().catch(() => undefined);
      release = undefined;
      await pause(delay);
      return "again";
    } finally {
      await release?.().catch(() => undefined);
    }
  };

  const run = async (): Promise<void> => {
    while ((await lead()) === "again" && !stopping) {}
  };

  const done = run().then(
    () => {
      state = "stopped";
      retry = undefined;
      settleWaiters();
    },
    (e: unknown) => {
      state = "failed";
      observer.stumbled(spec.name, "failed");
      retry = undefined;
      error = e instanceof Error ? e.message : String(e);
      if (e instanceof EventHandlingError) failedEvent = e.event;
      logger.error(
        { subscriber: spec.name, error, ...(failedEvent === undefined ? {} : { failedEvent }) },
        "subscriber failed",
      );
      settleWaiters();
    },
  );

  return {
    name: spec.name,
    status: () => ({
      name: spec.name,
      state,
      handled,
      ...(checkpoint === undefined ? {} : { checkpoint }),
      ...(error === undefined ? {} : { error }),
      ...(retry === undefined ? {} : { retry }),
      ...(failedEvent === undefined ? {} : { failedEvent }),
      ...(parked.size === 0 ? {} : { parked: parked.size }),
    }),
    waitUntil: (position) =>
      new Promise<void>((resolve, reject) => {
        waiters.add({ position, resolve, reject });
        settleWaiters();
      }),
    stop: async () => {
      stopping = true;
      wake?.();
      await stopSubscription?.();
      await done;
    },
  };
};
