import { decodePart, type Logger, requestContext, route } from "@mebel/adapter-http";
import { availableUnits, type Position, type Sku } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import type { CatalogApi } from "./catalog-api.js";
import { ProductsQuery } from "./request-codecs.js";
import { lagOf, type SiteViews } from "./site-views.js";
import { STOCK_QUERY_LIMIT, type WarehouseApi } from "./warehouse-api.js";

export interface ProductListingDeps {
  readonly views: SiteViews;
  readonly catalog: CatalogApi;
  readonly warehouse: WarehouseApi;
  readonly head: () => Promise<Position | undefined>;
  readonly logger: Logger;
}

/**
 * `GET /products`: the catalog's products with what the availability view says, and, for the
 * products on the page, what the StockItem streams say right now (R1). A warehouse that cannot
 * answer does not take the listing down: `availableLive` is then `null`, and the view's `lag`
 * says how far its own figures may trail.
 */
export const productListing = (deps: ProductListingDeps) =>
  route(async (req, res) => {
    const query = decodePart(ProductsQuery, "query")(req.query);
    if (E.isLeft(query)) return query;
    const { offset = 0, limit = STOCK_QUERY_LIMIT } = query.right;
    const { correlationId } = requestContext(res);
    const products = await deps.catalog.products(correlationId);
    if (E.isLeft(products)) return products;

    const page = products.right.slice(offset, offset + limit);
    const skus = page.map((p) => p.sku);
    const [known, live, head, checkpoint] = await Promise.all([
      deps.views.availabilityOf(skus),
      liveAvailability(deps, skus, correlationId),
      deps.head(),
      deps.views.availability.checkpoint(),
    ]);
    return E.right({
      body: {
        products: page.map(({ sku, name, price }) => ({
          sku,
          name,
          price,
          available: availableUnits(known.get(sku)),
          availableLive: live.get(sku) ?? null,
        })),
        total: products.right.length,
        offset,
        limit,
        lag: lagOf(head, checkpoint),
      },
    });
  });

const liveAvailability = async (
  deps: ProductListingDeps,
  skus: ReadonlyArray<Sku>,
  correlationId: string,
): Promise<ReadonlyMap<string, number>> => {
  if (skus.length === 0) return new Map();
  const stock = await deps.warehouse.stock(skus, correlationId);
  if (E.isLeft(stock)) {
    deps.logger.warn(
      { correlationId, problem: stock.left.code, detail: stock.left.detail },
      "live availability unavailable",
    );
    return new Map();
  }
  return new Map(stock.right.map((s) => [s.sku, s.available]));
};
