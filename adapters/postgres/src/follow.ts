import {
  DEFAULT_READ_BATCH,
  type EventStore,
  type Position,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionBatch,
} from "@mebel/core";
import type { Wakeups } from "./wakeups.js";

/**
 * A catch-up subscription: page through readAll, hand each page to the handler and wait for it,
 * then sleep until woken. readAll only ever shows a gap-free prefix of the log, so moving the
 * position forward page by page neither skips nor repeats an event.
 */
export const follow = (
  readAll: EventStore["readAll"],
  wakeups: Wakeups,
  options: SubscribeOptions,
  handler: (batch: SubscriptionBatch) => Promise<void>,
): Subscription => {
  let stopped = false;
  let cancelWait = (): void => {};

  const run = async (): Promise<void> => {
    let after: Position | undefined = options.after;
    while (!stopped) {
      const seen = wakeups.generation();
      const page = await readAll({
        ...(after === undefined ? {} : { after }),
        ...(options.categories === undefined ? {} : { categories: options.categories }),
        maxCount: options.maxBatch ?? DEFAULT_READ_BATCH,
      });
      if (stopped) return;
      if (page.position !== undefined && (after === undefined || page.position > after)) {
        await handler({ events: page.events, position: page.position });
        after = page.position;
      }
      if (page.isEnd && !stopped) {
        const wait = wakeups.wait(seen);
        cancelWait = wait.cancel;
        await wait.promise;
      }
    }
  };

  const done = run();
  return {
    stop: async () => {
      stopped = true;
      cancelWait();
      await done.catch(() => {});
    },
    done,
  };
};
