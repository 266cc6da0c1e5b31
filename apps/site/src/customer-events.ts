import {
  decodePart,
  type Logger,
  openEventStream,
  principalOf,
  sendProblem,
} from "@mebel/adapter-http";
import { notificationsOfCustomer } from "@mebel/core";
import type { Request, Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import type { ChangeFeed } from "./change-feed.js";
import { CustomerPath } from "./request-codecs.js";
import { publicOrderView, type SiteViews } from "./site-views.js";

export interface CustomerEventsDeps {
  readonly views: SiteViews;
  readonly changes: ChangeFeed;
  readonly logger: Logger;
}

/**
 * `GET /customers/:customerId/events`: server-sent `order` events (the order view after a change)
 * and `notification` events (each new notification once), pushed from the change feed as the views
 * commit (R2: never polled). A `: ready` comment says the stream is live; a client that reconnects
 * reads the views again, as nothing is replayed.
 */
export const customerEvents =
  (deps: CustomerEventsDeps) =>
  async (req: Request, res: Response): Promise<void> => {
    const path = decodePart(CustomerPath, "path")(req.params);
    if (E.isLeft(path)) {
      sendProblem(res, path.left);
      return;
    }
    const { customerId } = path.right;
    const stream = openEventStream(req, res);
    // Notifications the customer had before connecting are not news on this stream.
    const told = new Set<string>();

    const unsubscribe = deps.changes.subscribe((change) => {
      if (change.kind === "order" && change.doc?.customerId === customerId) {
        stream.send("order", publicOrderView(change.doc));
      } else if (change.kind === "notification" && change.doc?.customerId === customerId) {
        for (const notification of change.doc.notifications) {
          if (told.has(notification.id)) continue;
          told.add(notification.id);
          stream.send("notification", notification);
        }
      }
    });
    // The stream is only as good as the token that opened it: it ends when that expires, and the
    // client comes back with a fresh ticket or token.
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
    const stop = () => {
      clearTimeout(expiry);
      unsubscribe();
    };
    // Both: the request's close is what the stream helper watches, the response's is what a
    // dropped connection always emits.
    void stream.closed.then(stop);
    res.on("close", stop);

    // Subscribed first, read second: whatever commits in between is sent, never lost.
    try {
      const existing = notificationsOfCustomer(
        await deps.views.notificationsOf(customerId),
        customerId,
      );
      for (const n of existing) told.add(n.id);
      res.write(": ready\n\n");
    } catch (error) {
      deps.logger.error({ customerId, error: String(error) }, "event stream could not start");
      unsubscribe();
      res.end();
    }
  };
