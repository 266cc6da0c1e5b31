import { type Logger, openEventStream, principalOf } from "@mebel/adapter-http";
import { Category, type EventStore, type ReadModelStore } from "@mebel/core";
import type { Request, Response } from "express";
import { deliveryBoard } from "./board.js";

export interface LiveFeedDeps {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly logger: Logger;
}

/**
 * `GET /deliveries/live`: a server-sent `changed {position}` whenever a Delivery stream moves, sent
 * once the board has the change (or a bounded wait has passed), so that the board and couriers'
 * lists read again instead of polling. It says only that something changed, never what: a
 * courier learns nothing of other couriers' deliveries from it. A `: ready` comment says it is
 * live; nothing is replayed, so a client that connects or reconnects reads once anyway.
 */
export const deliveryLiveFeed =
  (deps: LiveFeedDeps) =>
  async (req: Request, res: Response): Promise<void> => {
    const board = deliveryBoard(deps.readModels, deps.store);
    const stream = openEventStream(req, res);
    let head: bigint | undefined;
    try {
      head = await deps.store.head();
    } catch (error) {
      deps.logger.error({ error: String(error) }, "delivery feed could not start");
      res.end();
      return;
    }
    const subscription = deps.store.subscribe(
      { ...(head === undefined ? {} : { after: head }), categories: [Category.Delivery] },
      async (batch) => {
        if (batch.events.length === 0) return;
        await board.reached(batch.position);
        stream.send("changed", { position: batch.position.toString() });
      },
    );
    // The stream is only as good as the token that opened it: it ends when that expires.
    const expiresAt = principalOf(res)?.expiresAt;
    const expiry =
      expiresAt === undefined
        ? undefined
        : setTimeout(
            () => {
              res.write(": expired\n\n");
              res.end();
            },
            Math.max(0, expiresAt * 1000 - Date.now()),
          );
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      clearTimeout(expiry);
      void subscription.stop();
    };
    void stream.closed.then(stop);
    res.on("close", stop);
    subscription.done.catch((error: unknown) => {
      deps.logger.warn({ error: String(error) }, "delivery feed subscription ended");
      res.end();
    });
    res.write(": ready\n\n");
  };
