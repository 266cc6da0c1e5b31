import {
  type AllStreamResolvedEvent,
  type Position as ClientPosition,
  type EventStoreDBClient,
  START,
} from "@eventstore/db-client";
import type { Position } from "@mebel/core";
import type { CatchUpSource, SourceItem } from "./catch-up.js";
import {
  eventFilter,
  packPosition,
  subscriptionFilter,
  toStoredEvent,
  unpackPosition,
} from "./mapping.js";

/**
 * The server scans `maxSearchWindow` events per filtered page and sends a checkpoint every
 * `checkpointInterval` pages: here about every 256 events, few enough to keep a sparse
 * subscriber's checkpoint close to the head, many enough not to flood a replay with them.
 */
const CHECKPOINT_EVERY = { maxSearchWindow: 32, checkpointInterval: 8 } as const;

const MARK = Symbol("checkpoint");
type Mark = { readonly [MARK]: ClientPosition };
const isMark = (item: AllStreamResolvedEvent | Mark): item is Mark => MARK in item;

export interface AllSubscriptionOptions {
  readonly after: Position | undefined;
  readonly categories: ReadonlyArray<string> | undefined;
  /** Position of the newest event right now, or undefined when the store is empty. */
  readonly head: () => Promise<Position | undefined>;
}

/**
 * A catch-up subscription to `$all`, filtered on the server, as a source of events and
 * checkpoints in log order.
 *
 * The client reports checkpoints and "caught up" through callbacks that run while it transforms
 * the gRPC stream, possibly ahead of events still buffered for the reader. Pushing a mark into the
 * same stream at that moment puts it exactly where it happened among the events.
 */
export const openAllSubscription = async (
  client: EventStoreDBClient,
  options: AllSubscriptionOptions,
): Promise<CatchUpSource> => {
  // Read before subscribing: once the server says it caught up, it has scanned at least this far.
  const headBefore = await options.head();
  const subscription = client.subscribeToAll({
    fromPosition: options.after === undefined ? START : unpackPosition(options.after),
    filter: subscriptionFilter(
      options.categories,
      (sub, position) => {
        // Runs inside the client's stream: anything thrown here would go unhandled.
        sub.push({ [MARK]: position } satisfies Mark);
      },
      CHECKPOINT_EVERY,
    ),
  });
  if (headBefore !== undefined) {
    const scanned = unpackPosition(headBefore);
    subscription.once("caughtUp", () => {
      subscription.push({ [MARK]: scanned } satisfies Mark);
    });
  }
  const visible = eventFilter(options.categories);

  async function* items(): AsyncGenerator<SourceItem> {
    for await (const item of subscription as AsyncIterable<AllStreamResolvedEvent | Mark>) {
      if (isMark(item)) {
        yield { kind: "checkpoint", position: packPosition(item[MARK]) };
        continue;
      }
      const recorded = item.event;
      if (recorded === undefined) continue;
      yield visible(recorded.streamId, recorded.type)
        ? { kind: "event", event: toStoredEvent(item) }
        : // Passed the server filter but is not ours (a `$` type in an ordinary stream): skip it,
          // yet count it as scanned.
          { kind: "checkpoint", position: packPosition(recorded.position) };
    }
  }

  let closed: Promise<void> | undefined;
  return {
    items: items(),
    close: () => {
      closed ??= (async () => {
        await subscription.unsubscribe().catch(() => undefined);
        // Cancelling the call does not end the client's stream: destroying it ends our reader.
        subscription.destroy();
      })();
      return closed;
    },
  };
};
