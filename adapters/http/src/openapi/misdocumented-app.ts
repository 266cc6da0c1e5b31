import { CustomerId, unsafeDecode } from "@mebel/core";
import type { Express } from "express";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { createHttpApp, finishHttpApp, listen, route } from "../app.js";
import { guardedRoutes } from "../auth/guarded-routes.js";
import { createLogger } from "../logger.js";
import { problem } from "../problem.js";
import { POSITION_HEADER, recordAppended } from "../read-your-writes.js";

/**
 * Test support: an app whose answers break its own spec, to show that the response check
 * catches them, in the test's process or in a child (`node misdocumented-app.ts` listens and
 * prints its address).
 */
export const misdocumentedApp = (): Express => {
  const logger = createLogger("misdocumented", "silent");
  const app = createHttpApp({ logger });
  const routes = guardedRoutes(app.router, "catalog", {
    // One token, for the command below: a command's answer is written apart from a query's.
    verify: async (token) =>
      token === "catalog"
        ? E.right({ sub: unsafeDecode(CustomerId)("catalog"), roles: ["catalog"] })
        : E.left({ kind: "invalid", reason: "no tokens here" }),
  });
  routes.get(
    "/products",
    { summary: "says numbers", responses: { 200: t.readonlyArray(t.number) } },
    route(async (req, res) => {
      if (req.query.answer === "teapot") return E.right({ status: 418, body: [] });
      // A position where the spec declares none: a command whose spec forgot `command: true`.
      if (req.query.answer === "appended") recordAppended(res, 7n);
      if (req.query.answer === "problem") return E.left(problem(409, "UNDECLARED", "No."));
      return E.right({ body: req.query.answer === "strings" ? ["one"] : [1, 2] });
    }),
  );
  // Stands for a command: its answer says a position, in the body as in the header, or does not.
  routes.get(
    "/products/:sku",
    {
      summary: "says where it appended",
      command: true,
      responses: { 200: t.type({ sku: t.string }) },
    },
    (req, res) => {
      const sku = String(req.params.sku);
      if (req.query.answer === "disagreeing") {
        res.setHeader(POSITION_HEADER, "7");
        res.json({ sku, position: "8" });
        return;
      }
      if (req.query.answer === "unsaid") {
        res.json({ sku, position: "8" });
        return;
      }
      recordAppended(res, 7n);
      route(async () => E.right({ body: { sku } }))(req, res);
    },
  );
  routes.post(
    "/products",
    { summary: "says what it made", responses: { 201: t.type({ sku: t.string }) } },
    route(async (req) =>
      req.query.answer === "problem"
        ? E.left(problem(409, "UNDECLARED", "No."))
        : E.right({ status: 201, body: { sku: req.query.answer === "number" ? 1 : "SOFA" } }),
    ),
  );
  return finishHttpApp(app, logger);
};

if (process.argv[1]?.endsWith("misdocumented-app.ts")) {
  const listening = await listen(misdocumentedApp(), 0);
  process.stdout.write(`${listening.url}\n`);
}
