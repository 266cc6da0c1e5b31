import type {
  EventStore,
  Position,
  SubscribeOptions,
  Subscription,
  SubscriptionBatch,
} from "@mebel/core";

export interface LogSource {
  readonly readAll: EventStore["readAll"];
  /** Resolves at the next append, or when cancelled. */
  readonly nextAppend: () => { promise: Promise<void>; cancel: () => void };
}

/**
 * A catch-up subscription over a pageable log: read pages until the end, hand each to the handler
 * and wait for it, then sleep until the next append. Positions only move forward, so nothing is
 * delivered twice and, since the log has no gaps, nothing is skipped.
 */
export const followLog = (
  source: LogSource,
  options: SubscribeOptions,
  handler: (batch: SubscriptionBatch) => Promise<void>,
): Subscription => {
  let stopped = false;
  let cancelWait: (() => void) | undefined;

  const run = async (): Promise<void> => {
    let after: Position | undefined = options.after;
    while (!stopped) {
      const page = await source.readAll({
        ...(after === undefined ? {} : { after }),
        ...(options.categories === undefined ? {} : { categories: options.categories }),
        maxCount: options.maxBatch ?? 1_000,
      });
      if (page.position !== undefined && !stopped) {
        await handler({ events: page.events, position: page.position });
        after = page.position;
      }
      if (page.isEnd && !stopped) {
        const wait = source.nextAppend();
        cancelWait = wait.cancel;
        // Re-check after registering: an append between the read and the wait must not be slept through.
        const head = await source.readAll({
          ...(after === undefined ? {} : { after }),
          maxCount: 1,
        });
        if (head.events.length === 0) await wait.promise;
        else wait.cancel();
        cancelWait = undefined;
      }
    }
  };

  const done = run();
  return {
    stop: async () => {
      stopped = true;
      cancelWait?.();
      await done.catch(() => undefined);
    },
    done,
  };
};
