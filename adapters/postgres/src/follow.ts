import {
  DEFAULT_READ_BATCH,
  type EventStore,
  type Position,
  type ReadAllPage,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionBatch,
} from "@mebel/core";
import type { Wakeups } from "./wakeups.js";

/** A page asked for, with the wake-up generation seen before the query was sent. */
interface PendingRead {
  readonly seen: number;
  readonly page: Promise<ReadAllPage>;
}

/**
 * A catch-up subscription: page through readAll, hand each page to the handler and wait for it,
 * then sleep until woken. readAll only ever shows a gap-free prefix of the log, so moving the
 * position forward page by page neither skips nor repeats an event.
 *
 * While the handler applies a page that did not reach the head, the next page is already being
 * read (from the position of the page in hand, so nothing changes in what is delivered): the
 * database's work overlaps the handler's. At most two pages are held, the one in the handler and
 * the one read ahead.
 */
export const follow = (
  readAll: EventStore["readAll"],
  wakeups: Wakeups,
  options: SubscribeOptions,
  handler: (batch: SubscriptionBatch) => Promise<void>,
): Subscription => {
  let stopped = false;
  let cancelWait = (): void => {};
  /** A read in flight, awaited before the subscription ends so no query outlives it. */
  let pending: PendingRead | undefined;

  const read = (after: Position | undefined): PendingRead => {
    const seen = wakeups.generation();
    const page = readAll({
      ...(after === undefined ? {} : { after }),
      ...(options.categories === undefined ? {} : { categories: options.categories }),
      maxCount: options.maxBatch ?? DEFAULT_READ_BATCH,
    });
    // Its failure is reported when the page is taken; until then it must not go unhandled.
    page.catch(() => {});
    return { seen, page };
  };

  const run = async (): Promise<void> => {
    let after: Position | undefined = options.after;
    while (!stopped) {
      const current = pending ?? read(after);
      pending = current;
      const page = await current.page;
      pending = undefined;
      if (stopped) return;
      const position = page.position;
      if (position !== undefined && (after === undefined || position > after)) {
        if (!page.isEnd) pending = read(position);
        await handler({ events: page.events, position });
        after = position;
      }
      if (page.isEnd && !stopped) {
        const wait = wakeups.wait(current.seen);
        cancelWait = wait.cancel;
        await wait.promise;
      }
    }
  };

  const done = run().finally(async () => {
    await pending?.page.catch(() => {});
  });
  return {
    stop: async () => {
      stopped = true;
      cancelWait();
      await done.catch(() => {});
    },
    done,
  };
};
