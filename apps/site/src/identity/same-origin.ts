import { sendForbidden } from "@mebel/adapter-http";
import type { NextFunction, Request, Response } from "express";

/**
 * CSRF protection for what a cookie authenticates (refresh, logout): a browser names the page's
 * origin on every cross-site POST, so one that is neither this site nor a listed origin is
 * refused. A caller that names no origin is not a browser page, and carries no ambient cookie.
 */
export const sameOrigin =
  (allowed: ReadonlyArray<string>) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.get("origin");
    const fetchSite = req.get("sec-fetch-site");
    const own = `${req.protocol}://${req.get("host") ?? ""}`;
    const originOk = origin === undefined || origin === own || allowed.includes(origin);
    const siteOk = fetchSite === undefined || fetchSite !== "cross-site" || origin !== undefined;
    if (originOk && siteOk) {
      next();
      return;
    }
    sendForbidden(res, "A request from another site's page may not use this site's cookie.");
  };
