import type { StreamingRead } from "@eventstore/db-client";

export interface ReadOutcome {
  /** How many items the server sent before the read ended or was stopped. */
  readonly received: number;
  /** True when `visit` asked to stop before the server had sent everything requested. */
  readonly stopped: boolean;
}

/**
 * Visits the items of a client read in order until `visit` returns false. Leaving a read early
 * must cancel the server call: destroying the Node stream alone leaves the gRPC call open, and
 * reads have no deadline.
 */
export const visitRead = async <Item>(
  read: StreamingRead<Item>,
  visit: (item: Item) => boolean,
): Promise<ReadOutcome> => {
  let received = 0;
  let stopped = false;
  let ended = false;
  try {
    for await (const item of read) {
      received += 1;
      if (!visit(item)) {
        stopped = true;
        break;
      }
    }
    ended = !stopped;
  } finally {
    // Also after `visit` threw: the server would otherwise keep streaming into a dead reader.
    if (!ended) await read.cancel().catch(() => undefined);
  }
  return { received, stopped };
};
