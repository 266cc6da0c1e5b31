import {
  commandRequest,
  decodePart,
  domainProblem,
  expectedRevisionOption,
  type GuardedRoutes,
  requestContext,
  route,
  STOCK_REFUSALS,
} from "@mebel/adapter-http";
import type { CommandBus } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import * as t from "io-ts";
import { Receipt, SkuPath, StockBody, StockQuery } from "../codecs.js";
import type { AggregateReads } from "../reads.js";
import { stockBody, stockReply } from "../representations.js";

/** Stock as the StockItem streams say it, never a read model: what the site checks before a sale (R1). */
export const addStockRoutes = (
  routes: GuardedRoutes,
  deps: {
    readonly bus: CommandBus;
    readonly reads: AggregateReads;
  },
): void => {
  routes.get(
    "/stock",
    {
      summary: "Live stock of several SKUs, from their streams (what the site checks, R1)",
      query: StockQuery,
      responses: { 200: t.readonlyArray(StockBody) },
      problems: ["CORRUPT_EVENT"],
    },
    route(async (req) => {
      const query = decodePart(StockQuery, "query")(req.query);
      if (E.isLeft(query)) return query;
      const stock = await Promise.all(
        query.right.sku.map(async (sku) =>
          pipe(
            await deps.reads.stock(sku),
            E.map(({ state }) => stockBody(sku, state)),
          ),
        ),
      );
      return pipe(
        E.sequenceArray(stock),
        E.bimap(domainProblem, (body) => ({ body })),
      );
    }),
  );

  routes.get(
    "/stock/:sku",
    {
      summary: "Live stock of one SKU, with its stream revision as the ETag",
      params: SkuPath,
      responses: { 200: StockBody },
      problems: ["CORRUPT_EVENT"],
    },
    route(async (req) => {
      const path = decodePart(SkuPath, "path")(req.params);
      if (E.isLeft(path)) return path;
      const { sku } = path.right;
      return pipe(
        await deps.reads.stock(sku),
        E.bimap(domainProblem, (at) => stockReply(sku, at)),
      );
    }),
  );

  routes.post(
    "/stock/:sku/receive",
    {
      summary: "Goods in: units received into stock",
      params: SkuPath,
      body: Receipt,
      ifMatch: true,
      command: true,
      responses: { 200: StockBody },
      problems: STOCK_REFUSALS,
    },
    route(async (req, res) => {
      const input = commandRequest(req, SkuPath, Receipt);
      if (E.isLeft(input)) return input;
      const { path, body, expectedRevision } = input.right;
      const received = await deps.bus.stockItem(
        { type: "ReceiveStock", sku: path.sku, quantity: body.quantity },
        requestContext(res),
        expectedRevisionOption(expectedRevision),
      )();
      return pipe(
        received,
        E.bimap(domainProblem, (at) => stockReply(path.sku, at)),
      );
    }),
  );
};
