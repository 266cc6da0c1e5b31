import { type Catalog, Product, type Sku } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import * as t from "io-ts";
import { PathReporter } from "io-ts/lib/PathReporter.js";

/** The catalog could not say whether the product exists: callers must not read it as "none". */
export class CatalogUnavailableError extends Error {
  override readonly name = "CatalogUnavailableError";
}

export interface HttpCatalogOptions {
  /** How long one look-up may take before it counts as a failure. */
  readonly timeoutMs?: number;
}

const Answer = t.exact(Product);
const Problem = t.type({ code: t.string });

const readJson = async (res: Response): Promise<unknown> => {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
};

/**
 * The Catalog port over the catalog service's HTTP API: the product as it is at that moment.
 * Only the catalog's own PRODUCT_NOT_FOUND means "no such product"; any other answer (a 404 for a
 * wrong base URL, a 5xx, a timeout, a body that is not a product) throws, so a broken catalog can
 * never pass for an empty one.
 */
export const httpCatalog = (baseUrl: string, options: HttpCatalogOptions = {}): Catalog => {
  const base = baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    product: async (sku: Sku) => {
      const url = `${base}/products/${encodeURIComponent(sku)}`;
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { accept: "application/json" },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new CatalogUnavailableError(`GET ${url} failed: ${String(error)}`, { cause: error });
      }
      const body = await readJson(res);
      if (res.status === 404) {
        const problem = Problem.decode(body);
        if (E.isRight(problem) && problem.right.code === "PRODUCT_NOT_FOUND") return O.none;
      }
      if (res.status !== 200) {
        throw new CatalogUnavailableError(`GET ${url} answered ${res.status}.`);
      }
      const product = Answer.decode(body);
      if (E.isLeft(product)) {
        throw new CatalogUnavailableError(
          `GET ${url} answered something that is not a product: ${PathReporter.report(product).join("; ")}`,
        );
      }
      return O.some(product.right);
    },
  };
};
