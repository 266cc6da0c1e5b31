import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Express, Request, Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import type { GuardedRoutes } from "../auth/guarded-routes.js";
import { registeredRoutes } from "../auth/route-table.js";
import { sendProblem } from "../problem.js";
import { decodePart } from "../validation.js";
import { type DocumentInfo, type OpenApiDocument, openApiDocument } from "./openapi-document.js";
import type { RouteSpec } from "./route-spec.js";

const fromPackage = createRequire(import.meta.url);

/** The page's own script: a file, not inline, so helmet's `script-src 'self'` lets it run. */
const START_SCRIPT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#docs", deepLinking: true });
});
`;

const page = (title: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}: API</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/start.js"></script>
</body>
</html>
`;

const ASSETS = {
  "swagger-ui.css": "text/css",
  "swagger-ui-bundle.js": "text/javascript",
  "start.js": "text/javascript",
} as const;
const DocsAsset = t.type({ file: t.keyof(ASSETS) });

const assetText = (file: keyof typeof ASSETS): Promise<string> =>
  file === "start.js"
    ? Promise.resolve(START_SCRIPT)
    : readFile(fromPackage.resolve(`swagger-ui-dist/${file}`), "utf8");

const OpenApiJson = t.type({ openapi: t.literal("3.1.0"), paths: t.UnknownRecord });

export const OPENAPI_SPEC: RouteSpec = {
  summary: "This service's OpenAPI 3.1 document, made from its routes and codecs",
  responses: { 200: OpenApiJson },
};

/**
 * `GET /openapi.json`, and `GET /docs`: the document for programs, and Swagger UI over it for
 * people, served from the package (no CDN: the page works where the service does). The document
 * is made once, from the routes the app registered by the time it is first asked.
 */
export const addApiDocsRoutes = (routes: GuardedRoutes, app: Express, info: DocumentInfo): void => {
  let document: OpenApiDocument | undefined;
  const assets = new Map<string, Promise<string>>();
  routes.get("/openapi.json", OPENAPI_SPEC, (_req: Request, res: Response) => {
    document ??= openApiDocument(info, registeredRoutes(app));
    res.status(200).type("application/json").send(JSON.stringify(document));
  });
  routes.get(
    "/docs",
    { summary: "The API for people: Swagger UI", responses: { 200: { contentType: "text/html" } } },
    (_req: Request, res: Response) => {
      res.status(200).type("text/html").send(page(info.title));
    },
  );
  routes.get(
    "/docs/:file",
    {
      summary: "The files of the docs page",
      params: DocsAsset,
      responses: { 200: { contentType: ["text/css", "text/javascript"] } },
    },
    async (req: Request, res: Response) => {
      const asset = decodePart(DocsAsset, "path")(req.params);
      if (E.isLeft(asset)) return sendProblem(res, asset.left);
      const { file } = asset.right;
      const text = assets.get(file) ?? assetText(file);
      assets.set(file, text);
      res
        .status(200)
        .type(ASSETS[file])
        .setHeader("Cache-Control", "public, max-age=3600")
        .send(await text);
    },
  );
};

/** The version of the API the documents describe: the services' package version. */
export const API_VERSION = "0.1.0";
