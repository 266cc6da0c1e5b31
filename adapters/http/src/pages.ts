import { PageCursor, type PagePosition } from "@mebel/core";
import type { Request, Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { withSchema } from "./openapi/codec-schemas.js";
import type { Problem } from "./problem.js";
import { decodePart } from "./validation.js";

/** A whole number written in a query string, within bounds. */
export const queryInt = (min: number, max: number) =>
  withSchema(
    new t.Type<number, string, unknown>(
      `integer ${min} to ${max}`,
      (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= min && u <= max,
      (u, c) => {
        const n = typeof u === "string" && /^\d{1,9}$/.test(u) ? Number(u) : Number.NaN;
        return n >= min && n <= max ? t.success(n) : t.failure(u, c);
      },
      String,
    ),
    { type: "integer", minimum: min, maximum: max },
  );

/** The most a list route answers at once, and what it answers when not asked. */
export const MAX_PAGE_LIMIT = 200;
export const DEFAULT_PAGE_LIMIT = 50;

/** `?limit=&cursor=` of a list route: the cursor is the one its previous page handed out. */
export const PageParams = t.exact(
  t.partial({ limit: queryInt(1, MAX_PAGE_LIMIT), cursor: PageCursor }),
);

export interface PageParams {
  readonly limit: number;
  readonly after: PagePosition | undefined;
}

/** The page a request asks for; a cursor that is not one of ours is a 400, never a lookup. */
export const pageParams = (req: Request): E.Either<Problem, PageParams> =>
  E.map(({ limit, cursor }: t.TypeOf<typeof PageParams>) => ({
    limit: limit ?? DEFAULT_PAGE_LIMIT,
    after: cursor,
  }))(decodePart(PageParams, "query")(req.query));

/**
 * Where the next page is, for a client that follows links (RFC 8288): the same path, the same
 * limit, the cursor after this page's last entry. Nothing on the last page.
 */
export const linkNextPage = (
  req: Request,
  res: Response,
  limit: number,
  next: PagePosition | undefined,
): string | null => {
  if (next === undefined) return null;
  const cursor = PageCursor.encode(next);
  const path = req.originalUrl.split("?")[0] ?? "";
  res.setHeader("Link", `<${path}?limit=${limit}&cursor=${cursor}>; rel="next"`);
  return cursor;
};
