import { decodePart, type Problem, type Reply, route } from "@mebel/adapter-http";
import type { Request, Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";

/** A JSON route whose path parameters are decoded first: a bad id is a 400, never a lookup. */
export const pathRoute = <P>(
  params: t.Decoder<unknown, P>,
  handle: (params: P, req: Request, res: Response) => Promise<E.Either<Problem, Reply>>,
) =>
  route(async (req, res) => {
    const decoded = decodePart(params, "path")(req.params);
    return E.isLeft(decoded) ? decoded : handle(decoded.right, req, res);
  });
