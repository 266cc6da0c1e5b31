import { AsyncLocalStorage } from "node:async_hooks";
import type { Position, StoredEvent, Subscription, SubscriptionBatch } from "@mebel/core";
import { pullQueue } from "./pull-queue.js";

/** What a subscription source yields, in log order. */
export type SourceItem =
  | { readonly kind: "event"; readonly event: StoredEvent }
  /** Everything up to here has been scanned: nothing at or before it is still to come. */
  | { readonly kind: "checkpoint"; readonly position: Position };

export interface CatchUpSource {
  readonly items: AsyncIterable<SourceItem>;
  /** Makes `items` end (possibly by throwing). May be called more than once. */
  readonly close: () => Promise<void>;
}

export interface CatchUpTiming {
  /** First wait before resubscribing after a drop; doubles per failed attempt up to the max. */
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  /** Quiet time before asking whether the log moved on unseen; doubles while quiet. */
  readonly idleMinMs: number;
  readonly idleMaxMs: number;
}

export const defaultCatchUpTiming: CatchUpTiming = {
  retryMinMs: 100,
  retryMaxMs: 5_000,
  idleMinMs: 1_000,
  idleMaxMs: 30_000,
};

export interface CatchUpOptions {
  readonly after: Position | undefined;
  readonly maxBatch: number;
  /** Starts a source that yields what comes strictly after `after`. */
  readonly open: (after: Position | undefined) => Promise<CatchUpSource>;
  readonly handler: (batch: SubscriptionBatch) => Promise<void>;
  /** Whether a failure of the source is worth a resubscribe (a dropped connection) or is final. */
  readonly isTransient: (error: unknown) => boolean;
  /**
   * Asked after a quiet spell: whether the log has events past `after` that no checkpoint has
   * covered. If so the source is reopened, which reports how far it scanned once caught up.
   */
  readonly isBehind?: (after: Position | undefined) => Promise<boolean>;
  readonly timing?: Partial<CatchUpTiming>;
  readonly onDrop?: (error: unknown, retryInMs: number) => void;
}

type SessionEnd =
  | { readonly kind: "stopped" | "reopen" }
  | { readonly kind: "dropped"; readonly error: unknown; readonly transient: boolean };

/** The batch these items make after `last`: only what is new, with the furthest position seen. */
export const toBatch = (
  items: ReadonlyArray<SourceItem>,
  last: Position | undefined,
): SubscriptionBatch | undefined => {
  const events: StoredEvent[] = [];
  let position = last;
  for (const item of items) {
    const at = item.kind === "event" ? item.event.position : item.position;
    // After a resubscribe, or from a repeated server checkpoint: already covered.
    if (last !== undefined && at <= last) continue;
    if (item.kind === "event") events.push(item.event);
    if (position === undefined || at > position) position = at;
  }
  return position === undefined || position === last ? undefined : { events, position };
};

const backoff = (minMs: number, maxMs: number, attempt: number): number =>
  Math.min(maxMs, minMs * 2 ** Math.max(0, attempt - 1));

/**
 * A catch-up subscription that survives drops: it hands batches to the handler one at a time,
 * remembers the last position delivered, and on a transient failure reopens the source from there
 * after a growing pause, until stopped. A handler that throws ends it (done rejects).
 */
export const runCatchUp = (options: CatchUpOptions): Subscription => {
  const timing = { ...defaultCatchUpTiming, ...options.timing };
  let stopped = false;
  // Tells a stop() made by the handler itself, which must not wait for the handler to return.
  const insideHandler = new AsyncLocalStorage<true>();
  let closeSession: (() => void) | undefined;
  let wakeFromPause: (() => void) | undefined;
  let last = options.after;
  let failures = 0;
  let idleMs = timing.idleMinMs;

  const pause = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeFromPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const session = async (): Promise<SessionEnd> => {
    let source: CatchUpSource;
    try {
      source = await options.open(last);
    } catch (error) {
      return { kind: "dropped", error, transient: options.isTransient(error) };
    }
    const queue = pullQueue(source.items, Math.max(1, options.maxBatch));
    closeSession = queue.close;
    try {
      while (!stopped) {
        let items: ReadonlyArray<SourceItem> | undefined;
        try {
          items = await queue.take(options.maxBatch, idleMs);
        } catch (error) {
          return { kind: "dropped", error, transient: options.isTransient(error) };
        }
        if (stopped) break;
        if (items === undefined) {
          const error = new Error("The subscription ended without being stopped.");
          return { kind: "dropped", error, transient: true };
        }
        if (items.length === 0) {
          idleMs = Math.min(idleMs * 2, timing.idleMaxMs);
          try {
            if (options.isBehind !== undefined && (await options.isBehind(last))) {
              return { kind: "reopen" };
            }
          } catch (error) {
            return { kind: "dropped", error, transient: options.isTransient(error) };
          }
          continue;
        }
        failures = 0;
        const batch = toBatch(items, last);
        if (batch === undefined) continue;
        // Only events make the log look busy: a reopen answered by a bare checkpoint must not
        // bring the next reopen closer, or a trickle of other categories' events reopens it
        // every idle period.
        if (batch.events.length > 0) idleMs = timing.idleMinMs;
        await insideHandler.run(true, () => options.handler(batch));
        last = batch.position;
      }
      return { kind: "stopped" };
    } finally {
      closeSession = undefined;
      queue.close();
      await source.close().catch(() => undefined);
    }
  };

  const run = async (): Promise<void> => {
    while (!stopped) {
      const end = await session();
      if (end.kind !== "dropped") continue;
      if (stopped) break;
      if (!end.transient) throw end.error;
      failures += 1;
      const wait = backoff(timing.retryMinMs, timing.retryMaxMs, failures);
      options.onDrop?.(end.error, wait);
      await pause(wait);
    }
  };

  const done = run();
  return {
    stop: async () => {
      stopped = true;
      closeSession?.();
      wakeFromPause?.();
      if (insideHandler.getStore() !== true) await done.catch(() => undefined);
    },
    done,
  };
};
