import {
  commandRequest,
  domainProblem,
  etagOf,
  type GuardedRoutes,
  type Logger,
  ORDER_REFUSALS,
  type Problem,
  problem,
  requestContext,
  route,
  STOCK_REFUSALS,
  stableId,
} from "@mebel/adapter-http";
import {
  addItem,
  type Catalog,
  type CommandBus,
  type Ids,
  LineId,
  type OrderReads,
  unsafeDecode,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { AddedItemBody, NewItem, OrderPath } from "../codecs.js";
import type { AggregateReads } from "../reads.js";
import { orderBody, orderNotFound } from "../representations.js";

/** The catalog could not answer: the order was not touched, the client may simply retry. */
class CatalogUnavailable extends Error {
  override readonly name = "CatalogUnavailable";
}

const catalogUnavailable: Problem = problem(
  503,
  "CATALOG_UNAVAILABLE",
  "The catalog could not be asked for the product's price; the order and the stock are as they were. Try again.",
);

export const addItemRoutes = (
  routes: GuardedRoutes,
  deps: {
    readonly bus: CommandBus;
    readonly catalog: Catalog;
    readonly ids: Ids;
    readonly reads: AggregateReads;
    readonly logger: Logger;
  },
): void => {
  const catalog: Catalog = {
    product: (sku) =>
      deps.catalog.product(sku).catch((cause: unknown) => {
        throw new CatalogUnavailable(String(cause), { cause });
      }),
  };

  const orders: OrderReads = { asCached: deps.reads.orderAsCached, fresh: deps.reads.order };

  routes.post(
    "/orders/:orderId/items",
    {
      summary:
        "Adds an item to a draft order: reserves the stock, then adds the line at today's price",
      params: OrderPath,
      body: NewItem,
      ifMatch: true,
      command: true,
      responses: { 201: AddedItemBody },
      problems: [...ORDER_REFUSALS, ...STOCK_REFUSALS, "PRODUCT_NOT_FOUND", "CATALOG_UNAVAILABLE"],
    },
    route(async (req, res) => {
      const input = commandRequest(req, OrderPath, NewItem);
      if (E.isLeft(input)) return input;
      const { orderId } = input.right.path;
      const { sku, quantity } = input.right.body;
      const { expectedRevision } = input.right;

      // Derived from the Idempotency-Key when there is one: a re-run adds the same line, once.
      const lineId = unsafeDecode(LineId)(stableId(res, "line", deps.ids.next));
      const add = addItem({ bus: deps.bus, catalog, orders });
      try {
        const added = await add(
          { orderId, lineId, sku, quantity },
          requestContext(res),
          expectedRevision === undefined ? {} : { expectedOrderRevision: expectedRevision },
        )();
        if (E.isLeft(added)) return E.left(domainProblem(added.left));
        const { order, orderRevision } = added.right;
        if (order.status === "none") return E.left(orderNotFound(orderId));
        return E.right({
          status: 201,
          body: { lineId, order: orderBody(order) },
          etag: etagOf(orderRevision),
        });
      } catch (error) {
        if (!(error instanceof CatalogUnavailable)) throw error;
        deps.logger.warn(
          { correlationId: res.locals.correlationId, error: error.message },
          "catalog unavailable",
        );
        return E.left(catalogUnavailable);
      }
    }),
  );
};
