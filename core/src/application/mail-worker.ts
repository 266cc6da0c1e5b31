import type { Clock } from "../ports/clock.js";
import type { Locks } from "../ports/locks.js";
import { type Logger, silentLogger } from "../ports/logger.js";
import type { MailTransport, Outbox, OutboxEntry } from "../ports/outbox.js";
import { backoffDelay, type RetryPolicy } from "./retry-policy.js";
import type { SubscriberState, SubscriberStatus } from "./subscriber.js";

export const MAIL_WORKER = "mail.worker";

/**
 * Temporary failures are tried again, from a minute up to an hour apart, for about two days:
 * a mail server down for an hour costs a late message, never a lost one.
 */
export const defaultMailRetry: RetryPolicy = {
  maxAttempts: 60,
  baseDelayMs: 60_000,
  maxDelayMs: 3_600_000,
};

export interface MailWorkerDeps {
  readonly outbox: Outbox;
  readonly transport: MailTransport;
  readonly clock: Clock;
  readonly locks?: Locks;
  readonly logger?: Logger;
  readonly retry?: RetryPolicy;
  /** How often to look for due messages when nothing woke it. */
  readonly pollMs?: number;
  readonly batch?: number;
  /** Called between a successful send and marking it sent (a test stops the process here). */
  readonly afterSend?: (entry: OutboxEntry) => void;
  readonly random?: () => number;
}

export interface RunningMailWorker {
  readonly status: () => SubscriberStatus;
  /** Look for due messages now (a message was just recorded). */
  readonly wake: () => void;
  readonly stop: () => Promise<void>;
}

/**
 * Delivers the outbox: one instance at a time (a lock, fenced before every send), oldest first.
 * A temporary refusal (4xx, no connection) puts the message back with capped, jittered backoff;
 * a permanent one (5xx) ends it failed with the reason. Either way the next message goes next:
 * one failing address never holds up another customer's mail.
 */
export const startMailWorker = (deps: MailWorkerDeps): RunningMailWorker => {
  const logger = deps.logger ?? silentLogger;
  const policy = deps.retry ?? defaultMailRetry;
  const random = deps.random ?? Math.random;
  let state: SubscriberState = "starting";
  let handled = 0;
  let error: string | undefined;
  let stopping = false;
  let woken = false;
  let wake: (() => void) | undefined;

  const pause = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      if (woken || stopping) {
        resolve();
        return;
      }
      wake = resolve;
      void deps.clock.sleep(ms).then(resolve);
    });

  const deliver = async (entry: OutboxEntry, fence: () => void): Promise<void> => {
    fence();
    const outcome = await deps.transport.send(entry.mail);
    const attempts = entry.attempts + 1;
    const fields = { message: entry.id, kind: entry.kind, orderId: entry.orderId, attempts };
    if (outcome.kind === "sent") {
      deps.afterSend?.(entry);
      await deps.outbox.markSent(entry.id, deps.clock.now());
      logger.info(fields, "mail sent");
    } else if (outcome.kind === "permanent" || attempts >= policy.maxAttempts) {
      const why =
        outcome.kind === "permanent"
          ? outcome.reason
          : `gave up after ${attempts} attempts: ${outcome.reason}`;
      await deps.outbox.markFailed(entry.id, attempts, why);
      logger.warn({ ...fields, error: why }, "mail failed");
    } else {
      // The first retry comes after at least a base delay's worth: never a tight loop.
      const delay = policy.baseDelayMs + backoffDelay(policy, attempts, random());
      const next = new Date(deps.clock.now().getTime() + Math.min(delay, policy.maxDelayMs));
      await deps.outbox.markRetry(entry.id, attempts, next, outcome.reason);
      logger.warn(
        { ...fields, error: outcome.reason, nextAttemptAt: next.toISOString() },
        "mail refused for now; trying again later",
      );
    }
    handled += 1;
  };

  /** One term as the sending instance: until stopped or the lock is lost. */
  const lead = async (): Promise<void> => {
    let lost: Error | undefined;
    const fence = (): void => {
      if (lost !== undefined) throw lost;
    };
    const release =
      deps.locks === undefined
        ? async () => {}
        : await deps.locks.tryAcquire(MAIL_WORKER, (reason) => {
            lost = reason;
          });
    if (release === undefined) {
      state = "standby";
      await pause(deps.pollMs ?? 1_000);
      return;
    }
    try {
      state = "running";
      while (!stopping && lost === undefined) {
        woken = false;
        const due = await deps.outbox.due(deps.clock.now(), deps.batch ?? 20);
        for (const entry of due) {
          if (stopping) break;
          await deliver(entry, fence);
        }
        if (due.length === 0) await pause(deps.pollMs ?? 1_000);
      }
    } finally {
      await release().catch(() => undefined);
    }
  };

  const run = async (): Promise<void> => {
    for (let attempt = 0; !stopping; ) {
      try {
        await lead();
        attempt = 0;
        error = undefined;
      } catch (e) {
        // The outbox's store away, or the lock lost: the lead is given up and taken again.
        error = e instanceof Error ? e.message : String(e);
        state = "retrying";
        logger.warn({ worker: MAIL_WORKER, error }, "mail worker interrupted; starting again");
        await pause(
          backoffDelay({ maxAttempts: 0, baseDelayMs: 200, maxDelayMs: 10_000 }, attempt, random()),
        );
        attempt += 1;
      }
    }
  };
  const done = run().then(() => {
    state = "stopped";
  });

  return {
    status: () => ({
      name: MAIL_WORKER,
      state,
      handled,
      ...(error === undefined ? {} : { error }),
    }),
    wake: () => {
      woken = true;
      wake?.();
    },
    stop: async () => {
      stopping = true;
      wake?.();
      await done;
    },
  };
};
