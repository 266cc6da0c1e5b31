import { type GuardedRoutes, route } from "@mebel/adapter-http";
import {
  type EventStore,
  openWarehouseWork,
  type Position,
  type ReadModelStore,
  readViews,
  warehouseQueueProjection,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { QueueBody } from "../codecs.js";

/** How far a read model is behind the store, counted as /health counts it. */
const lagOf = (checkpoint: Position | undefined, head: Position | undefined): string => {
  if (head === undefined) return "0";
  const behind = head - (checkpoint ?? 0n);
  return (behind > 0n ? behind : 0n).toString();
};

/** The warehouse's open work from its read model, oldest placed first, saying how stale it is. */
export const addQueueRoutes = (
  routes: GuardedRoutes,
  deps: {
    readonly store: EventStore;
    readonly readModels: ReadModelStore;
  },
): void => {
  const queue = readViews(warehouseQueueProjection, deps.readModels);

  routes.get(
    "/queue",
    {
      summary: "The open work, the longest placed first, from the queue's read model, with its lag",
      responses: { 200: QueueBody },
    },
    route(async () => {
      // Checkpoint before documents: the documents are then at least as new as the lag says.
      const checkpoint = await queue.checkpoint();
      const [docs, head] = await Promise.all([queue.all(), deps.store.head()]);
      const orders = openWarehouseWork(docs.values()).map(
        ({ orderId, stage, lines, placedAt, updatedAt }) => ({
          orderId,
          stage,
          lines,
          placedAt,
          updatedAt,
        }),
      );
      return E.right({ body: { orders, lag: lagOf(checkpoint, head) } });
    }),
  );
};
