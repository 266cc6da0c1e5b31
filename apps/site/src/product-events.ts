import {
  type ChangeStreamDeps,
  problem,
  type StreamSlots,
  sendProblem,
  streamChanges,
  streamSlots,
} from "@mebel/adapter-http";
import type { Request, Response } from "express";
import type { SiteChange } from "./change-feed.js";

/** Open anonymous streams: in all, and from one address (a shop's customers share few). */
export const PUBLIC_STREAM_LIMITS = { total: 2_000, perKey: 20 } as const;

const full = () =>
  problem(503, "TOO_MANY_STREAMS", "Too many live pages are open: try again in a moment.");

/**
 * `GET /products/events`: anyone's live availability. Each change of an SKU's availability view is
 * pushed as an `availability` event (`{sku, available}`), so a storefront shows another buyer's
 * reservation or a delivery of stock without reading the listing again. The view can trail the
 * StockItem streams (R1): a purchase is still decided on the stream, never on this figure.
 */
export const productEvents = (
  deps: ChangeStreamDeps<SiteChange> & { readonly slots?: StreamSlots },
) => {
  const slots = deps.slots ?? streamSlots(PUBLIC_STREAM_LIMITS);
  return (req: Request, res: Response): void => {
    const release = slots.take(req.ip ?? "unknown");
    if (release === undefined) {
      res.setHeader("Retry-After", "30");
      sendProblem(res, full());
      return;
    }
    streamChanges(req, res, deps, {
      select: (change) =>
        change.kind === "availability" && change.doc !== undefined
          ? [["availability", { sku: change.doc.sku, available: change.doc.available }]]
          : [],
      onClose: release,
    });
  };
};
