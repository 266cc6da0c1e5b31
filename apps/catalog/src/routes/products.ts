import {
  decodePart,
  domainProblem,
  etagOf,
  type GuardedRoutes,
  parseIfMatch,
  type Reply,
  route,
} from "@mebel/adapter-http";
import { domainError, type ProductRepository, type StoredProduct } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import { NewProduct, Reprice, SkuPath } from "../codecs.js";

/** Only the fields of the contract go out, whatever else a repository keeps beside them. */
const productBody = ({ sku, name, price, version }: StoredProduct) => ({
  sku,
  name,
  price,
  version,
});

const productReply = (product: StoredProduct, status = 200): Reply => ({
  status,
  body: productBody(product),
  etag: etagOf(product.version),
});

export const addProductRoutes = (routes: GuardedRoutes, products: ProductRepository): void => {
  routes.get(
    "/products",
    route(async () => E.right({ body: (await products.list()).map(productBody) })),
  );

  routes.get(
    "/products/:sku",
    route(async (req) => {
      const path = decodePart(SkuPath, "path")(req.params);
      if (E.isLeft(path)) return path;
      const { sku } = path.right;
      const found = await products.get(sku);
      return O.isSome(found)
        ? E.right(productReply(found.value))
        : E.left(
            domainProblem(domainError("PRODUCT_NOT_FOUND", `No product with sku ${sku}.`, { sku })),
          );
    }),
  );

  routes.post(
    "/products",
    route(async (req) => {
      const body = decodePart(NewProduct, "body")(req.body ?? {});
      if (E.isLeft(body)) return body;
      const created = await products.create(body.right);
      return pipe(
        created,
        E.bimap(domainProblem, (product) => ({
          ...productReply(product, 201),
          location: `/products/${product.sku}`,
        })),
      );
    }),
  );

  routes.post(
    "/products/:sku/price",
    route(async (req) => {
      const input = pipe(
        E.Do,
        E.bind("path", () => decodePart(SkuPath, "path")(req.params)),
        E.bind("body", () => decodePart(Reprice, "body")(req.body ?? {})),
        E.bind("expectedVersion", () => parseIfMatch(req.get("if-match"))),
      );
      if (E.isLeft(input)) return input;
      const { path, body, expectedVersion } = input.right;
      // A product's version is a small integer; a tag past a double's range matches no version anyway.
      const repriced = await products.reprice(
        path.sku,
        body.price,
        expectedVersion === undefined ? undefined : Number(expectedVersion),
      );
      return pipe(
        repriced,
        E.bimap(domainProblem, (product) => productReply(product)),
      );
    }),
  );
};
