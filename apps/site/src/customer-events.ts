import {
  decodePart,
  type Logger,
  type StreamEvent,
  sendProblem,
  streamChanges,
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
 * commit (R2: never polled).
 */
export const customerEvents =
  (deps: CustomerEventsDeps) =>
  (req: Request, res: Response): void => {
    const path = decodePart(CustomerPath, "path")(req.params);
    if (E.isLeft(path)) {
      sendProblem(res, path.left);
      return;
    }
    const { customerId } = path.right;
    // Notifications the customer had before connecting are not news on this stream.
    const told = new Set<string>();
    streamChanges(req, res, deps, {
      select: (change): ReadonlyArray<StreamEvent> => {
        if (change.kind === "order" && change.doc?.customerId === customerId) {
          return [["order", publicOrderView(change.doc)]];
        }
        if (change.kind !== "notification" || change.doc?.customerId !== customerId) return [];
        const news = change.doc.notifications.filter((n) => !told.has(n.id));
        for (const n of news) told.add(n.id);
        return news.map((n) => ["notification", n]);
      },
      prepare: async () => {
        const existing = notificationsOfCustomer(
          await deps.views.notificationsOf(customerId),
          customerId,
        );
        for (const n of existing) told.add(n.id);
      },
      about: { customerId },
    });
  };
