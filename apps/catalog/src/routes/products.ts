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
import * as t from "io-ts";
import { NewProduct, ProductBody, Reprice, SkuPath } from "../codecs.js";

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
    { summary: "Every product", responses: { 200: t.readonlyArray(ProductBody) } },
    route(async () => E.right({ body: (await products.list()).map(productBody) })),
  );

  routes.get(
    "/products/:sku",
    {
      summary: "One product, with its version as the ETag",
      params: SkuPath,
      responses: { 200: ProductBody },
      problems: ["PRODUCT_NOT_FOUND"],
    },
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
    {
      summary: "Adds a product",
      body: NewProduct,
      responses: { 201: ProductBody },
      problems: ["PRODUCT_ALREADY_EXISTS"],
    },
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
    {
      summary: "Changes a product's price; If-Match names the version it was read at",
      params: SkuPath,
      body: Reprice,
      ifMatch: true,
      responses: { 200: ProductBody },
      problems: ["PRODUCT_NOT_FOUND"],
    },
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
