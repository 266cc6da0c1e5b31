import {
  awaitView,
  type GuardedRoutes,
  linkNextPage,
  MIN_POSITION_SPEC,
  PageParams,
  pageParams,
  route,
} from "@mebel/adapter-http";
import {
  type EventStore,
  OPEN_WORK,
  type Position,
  type ReadModelStore,
  readPage,
  readViews,
  warehouseQueueProjection,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { QueueBody } from "../codecs.js";

/** How far a read model is behind the store, counted as /health counts it. */
const lagOf = (checkpoint: Position | undefined, head: Position | undefined): string => {
  if (head === undefined) return "0";
  const behind = head - (checkpoint ?? 0n);
  return (behind > 0n ? behind : 0n).toString();
};

/**
 * The warehouse's open work from its read model, oldest placed first, a page at a time (`next` is
 * the cursor of the following page), saying how stale it is.
 */
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
      summary:
        "A page of the open work, the longest placed first, from the queue's read model, with its lag",
      query: t.intersection([PageParams, MIN_POSITION_SPEC.query]),
      headers: MIN_POSITION_SPEC.headers,
      responses: { 200: QueueBody },
      problems: MIN_POSITION_SPEC.problems,
    },
    route(async (req, res) => {
      const page = pageParams(req);
      if (E.isLeft(page)) return page;
      const { limit, after } = page.right;
      const caughtUp = await awaitView(req, queue.checkpoint);
      if (E.isLeft(caughtUp)) return caughtUp;
      // Checkpoint before documents: the documents are then at least as new as the lag says.
      const checkpoint = await queue.checkpoint();
      const [open, head] = await Promise.all([
        readPage(warehouseQueueProjection, deps.readModels, OPEN_WORK, {
          group: OPEN_WORK,
          limit,
          after,
        }),
        deps.store.head(),
      ]);
      const orders = open.views.map(({ orderId, stage, lines, placedAt, updatedAt }) => ({
        orderId,
        stage,
        lines,
        placedAt,
        updatedAt,
      }));
      const next = linkNextPage(req, res, limit, open.next);
      return E.right({ body: { orders, lag: lagOf(checkpoint, head), next } });
    }),
  );
};
