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
  /** Quiet time before asking whether the log moved on unseen; doubles while quiet. */
  readonly idleMinMs: number;
  readonly idleMaxMs: number;
}

export const defaultCatchUpTiming: CatchUpTiming = {
  idleMinMs: 1_000,
  idleMaxMs: 30_000,
};

export interface CatchUpOptions {
  readonly after: Position | undefined;
  readonly maxBatch: number;
  /** Starts a source that yields what comes strictly after `after`. */
  readonly open: (after: Position | undefined) => Promise<CatchUpSource>;
  readonly handler: (batch: SubscriptionBatch) => Promise<void>;
  /**
   * What `done` rejects with when the source fails or ends unasked: a dropped connection becomes
   * an error the subscriber's runner knows to retry, from its own checkpoint.
   */
  readonly failure: (error: unknown) => unknown;
  /**
   * Asked after a quiet spell: whether the log has events past `after` that no checkpoint has
   * covered. If so the source is reopened, which reports how far it scanned once caught up.
   */
  readonly isBehind?: (after: Position | undefined) => Promise<boolean>;
  readonly timing?: Partial<CatchUpTiming>;
}

type SessionEnd =
  | { readonly kind: "stopped" | "reopen" }
  | { readonly kind: "dropped"; readonly error: unknown };

/** The batch these items make after `last`: only what is new, with the furthest position seen. */
export const toBatch = (
  items: ReadonlyArray<SourceItem>,
  last: Position | undefined,
): SubscriptionBatch | undefined => {
  const events: StoredEvent[] = [];
  let position = last;
  for (const item of items) {
    const at = item.kind === "event" ? item.event.position : item.position;
    // After a reopen, or from a repeated server checkpoint: already covered.
    if (last !== undefined && at <= last) continue;
    if (item.kind === "event") events.push(item.event);
    if (position === undefined || at > position) position = at;
  }
  return position === undefined || position === last ? undefined : { events, position };
};

/**
 * A catch-up subscription: it hands batches to the handler one at a time and remembers the last
 * position delivered, from which it reopens the source when a quiet spell hides how far the log
 * moved. It does not resubscribe after a failure: `done` rejects with `failure(error)`, and the
 * subscriber's runner, which knows its stored checkpoint and its lock, decides when to try
 * again. A handler that throws ends it too (done rejects with that error).
 */
export const runCatchUp = (options: CatchUpOptions): Subscription => {
  const timing = { ...defaultCatchUpTiming, ...options.timing };
  let stopped = false;
  // Tells a stop() made by the handler itself, which must not wait for the handler to return.
  const insideHandler = new AsyncLocalStorage<true>();
  let closeSession: (() => void) | undefined;
  let last = options.after;
  let idleMs = timing.idleMinMs;

  const session = async (): Promise<SessionEnd> => {
    let source: CatchUpSource;
    try {
      source = await options.open(last);
    } catch (error) {
      return { kind: "dropped", error };
    }
    const queue = pullQueue(source.items, Math.max(1, options.maxBatch));
    closeSession = queue.close;
    try {
      while (!stopped) {
        let items: ReadonlyArray<SourceItem> | undefined;
        try {
          items = await queue.take(options.maxBatch, idleMs);
        } catch (error) {
          return { kind: "dropped", error };
        }
        if (stopped) break;
        if (items === undefined) {
          const error = new Error("The subscription ended without being stopped.");
          return { kind: "dropped", error };
        }
        if (items.length === 0) {
          idleMs = Math.min(idleMs * 2, timing.idleMaxMs);
          try {
            if (options.isBehind !== undefined && (await options.isBehind(last))) {
              return { kind: "reopen" };
            }
          } catch (error) {
            return { kind: "dropped", error };
          }
          continue;
        }
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
      if (end.kind === "dropped" && !stopped) throw options.failure(end.error);
    }
  };

  const done = run();
  return {
    stop: async () => {
      stopped = true;
      closeSession?.();
      if (insideHandler.getStore() !== true) await done.catch(() => undefined);
    },
    done,
  };
};
