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
import { CheckpointMovedError } from "../ports/read-model-store.js";
import type { DomainRecordedEvent } from "../projections/projection.js";

export type SubscriberState = "starting" | "standby" | "running" | "failed" | "stopped";

export interface SubscriberStatus {
  readonly name: string;
  readonly state: SubscriberState;
  readonly checkpoint?: Position;
  /** Events handled by this instance since it started. */
  readonly handled: number;
  readonly error?: string;
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
}

export interface SubscriberSpec {
  readonly name: string;
  readonly categories: ReadonlyArray<string>;
  readonly maxBatch?: number;
  /** How often a standby instance tries to take over the lock. */
  readonly standbyRetryMs?: number;
  readonly loadCheckpoint: () => Promise<Position | undefined>;
  /**
   * Applies a batch and stores `position` as the checkpoint, atomically with its effects, provided
   * the stored checkpoint is still `expected` (else CheckpointMovedError, and it is reloaded).
   */
  readonly handle: (
    events: ReadonlyArray<DomainRecordedEvent>,
    position: Position,
    expected: Position | null,
  ) => Promise<void>;
}

/** Thrown for a stored event of ours that does not decode: the subscriber stops, loudly. */
export class CorruptEventError extends Error {
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
    if (E.isLeft(result)) throw new CorruptEventError(describeDecodeError(stored, result.left));
    decoded.push(result.right);
  }
  return decoded;
};

/**
 * A checkpointed, at-least-once subscriber that runs only while it holds its lock: the one engine
 * under projections and process managers. Whatever `handle` commits with the position is what a
 * restart resumes from.
 */
export const startSubscriber = (spec: SubscriberSpec, deps: SubscriberDeps): RunningSubscriber => {
  const logger = deps.logger ?? silentLogger;
  let state: SubscriberState = "starting";
  /** Everything up to here is handled. */
  let checkpoint: Position | undefined;
  /** What the store holds: behind `checkpoint` while only events for others have passed. */
  let stored: Position | undefined;
  let handled = 0;
  let error: string | undefined;
  let stopping = false;
  let stopSubscription: (() => Promise<void>) | undefined;
  let wakeStandby: (() => void) | undefined;
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

  const acquire = async (): Promise<(() => Promise<void>) | undefined> => {
    if (deps.locks === undefined) return async () => {};
    for (;;) {
      const release = await deps.locks.tryAcquire(`subscriber:${spec.name}`);
      if (release !== undefined || stopping) return release;
      state = "standby";
      await new Promise<void>((resolve) => {
        wakeStandby = resolve;
        void deps.clock.sleep(spec.standbyRetryMs ?? 1_000).then(resolve);
      });
    }
  };

  /** Follows the log from the stored checkpoint until stopped, or until the checkpoint moves. */
  const follow = async (): Promise<"stopped" | "moved"> => {
    checkpoint = await spec.loadCheckpoint();
    stored = checkpoint;
    state = "running";
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
        const events = decodeBatch(batch.events);
        // A batch with nothing for us moves the checkpoint in memory only: persisting it would
        // cost every subscriber a write per append. A restart then merely reads past those again.
        if (events.length > 0) {
          await spec.handle(events, batch.position, stored ?? null);
          stored = batch.position;
        }
        checkpoint = batch.position;
        handled += events.length;
        settleWaiters();
      },
    );
    stopSubscription = subscription.stop;
    if (stopping) await subscription.stop();
    try {
      await subscription.done;
      return "stopped";
    } catch (error) {
      if (error instanceof CheckpointMovedError) return "moved";
      throw error;
    }
  };

  const run = async (): Promise<void> => {
    const release = await acquire();
    if (release === undefined) return;
    try {
      // A rebuild swapped in under us: start again from the checkpoint that is stored now.
      while ((await follow()) === "moved" && !stopping) {
        logger.info({ subscriber: spec.name }, "checkpoint moved; resuming from the stored one");
      }
    } finally {
      await release();
    }
  };

  const done = run().then(
    () => {
      state = "stopped";
      settleWaiters();
    },
    (e: unknown) => {
      state = "failed";
      error = e instanceof Error ? e.message : String(e);
      logger.error({ subscriber: spec.name, error }, "subscriber failed");
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
    }),
    waitUntil: (position) =>
      new Promise<void>((resolve, reject) => {
        waiters.add({ position, resolve, reject });
        settleWaiters();
      }),
    stop: async () => {
      stopping = true;
      wakeStandby?.();
      await stopSubscription?.();
      await done;
    },
  };
};
