import { awaitView, linkNextPage, pageParams, route } from "@mebel/adapter-http";
import type { Courier, EventStore, ReadModelStore } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { boardBody, courierBody, couriersBody, deliveryBoard } from "./board.js";
import { deliveryReply, loadDelivery } from "./delivery-view.js";
import { courierPath, deliveryPath } from "./requests.js";

export interface ReadRouteDeps {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly couriers: ReadonlyArray<Courier>;
}

export const readRoutes = (deps: ReadRouteDeps) => {
  const board = deliveryBoard(deps.readModels, deps.store);
  return {
    /** `GET /couriers`: each courier with the deliveries they carry now. */
    couriers: route(async () =>
      E.right({ body: couriersBody(deps.couriers, await board.active()) }),
    ),

    /** `GET /deliveries`: the board, and how far behind the log it is. */
    board: route(async (req, res) => {
      const page = pageParams(req);
      if (E.isLeft(page)) return page;
      const { limit, after } = page.right;
      const caughtUp = await awaitView(req, board.checkpoint);
      if (E.isLeft(caughtUp)) return caughtUp;
      // The lag is read first: whatever the entries then show is at least that fresh.
      const lag = await board.lag();
      const [awaiting, active, failed] = await Promise.all([
        board.awaiting(limit, after),
        board.active(),
        board.failed(),
      ]);
      const next = linkNextPage(req, res, limit, awaiting.next);
      return E.right({ body: boardBody(deps.couriers, awaiting.views, active, failed, lag, next) });
    }),

    /**
     * `GET /couriers/:courierId/deliveries`: what the courier carries now (assigned or picked up),
     * the longest waiting first; a courier reads only their own.
     */
    courierDeliveries: route(async (req) => {
      const path = courierPath(req);
      if (E.isLeft(path)) return path;
      const lag = await board.lag();
      return E.right({ body: courierBody(path.right.courierId, await board.active(), lag) });
    }),

    /** `GET /deliveries/:orderId`: from the stream itself, with its revision as ETag. */
    delivery: route(async (req) => {
      const path = deliveryPath(req);
      if (E.isLeft(path)) return path;
      const { orderId } = path.right;
      const at = await loadDelivery(deps.store, orderId);
      return E.isLeft(at) ? at : deliveryReply(orderId, at.right);
    }),
  };
};
