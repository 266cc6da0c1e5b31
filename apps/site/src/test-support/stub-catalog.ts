import {
  createHttpApp,
  finishHttpApp,
  type Listening,
  type Logger,
  listen,
  route,
} from "@mebel/adapter-http";
import type { ProductRepository } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { failureSwitch } from "./failure-switch.js";

export interface StubCatalog extends Listening {
  /** Answer every request with this status from now on (`undefined`: behave again). */
  readonly failWith: (status: number | undefined) => void;
}

/** The catalog's `GET /products` as docs/http-api.md describes it, over a product repository. */
export const startStubCatalog = async (deps: {
  readonly products: ProductRepository;
  readonly logger: Logger;
}): Promise<StubCatalog> => {
  const failures = failureSwitch();
  const app = createHttpApp({ logger: deps.logger });
  app.use(failures.middleware);
  app.get(
    "/products",
    route(async () => E.right({ body: await deps.products.list() })),
  );
  const listening = await listen(finishHttpApp(app, deps.logger), 0);
  return { ...listening, failWith: failures.failWith };
};
