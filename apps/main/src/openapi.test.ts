import SwaggerParser from "@apidevtools/swagger-parser";
import {
  type OpenApiDocument,
  openApiPath,
  registeredRoutes,
  type Service,
} from "@mebel/adapter-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApps, type TestApps } from "./test-apps.js";

const SERVICES: ReadonlyArray<Service> = ["site", "catalog", "warehouse", "delivery"];

let world: TestApps;
const documents = new Map<Service, OpenApiDocument>();

beforeAll(async () => {
  world = await startTestApps();
  for (const service of SERVICES) {
    const res = await fetch(`${world.urls[service]}/openapi.json`);
    documents.set(service, (await res.json()) as OpenApiDocument);
  }
});
afterAll(() => world?.close());

describe.each(SERVICES)("the %s service's OpenAPI document", (service) => {
  const doc = () => documents.get(service) as OpenApiDocument;

  it("is a valid OpenAPI 3.1 document", async () => {
    expect(doc().openapi).toBe("3.1.0");
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc()) as never)).resolves.toBeDefined();
  });

  // Strict on purpose: a route registered without its spec fails here, named.
  it("describes every route the app serves, each from the spec declared beside its handler", () => {
    const routes = registeredRoutes(world.apps[service]);
    const undocumented = routes
      .filter((r) => r.spec === undefined)
      .map((r) => `${r.method} ${r.path}`);
    expect(undocumented, `${service}: routes registered without a spec`).toEqual([]);
    const described = Object.entries(doc().paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(described.sort()).toEqual(
      routes.map((r) => `${r.method} ${openApiPath(r.path)}`).sort(),
    );
  });

  it("says which roles each operation needs, as the access policy has it", () => {
    for (const route of registeredRoutes(world.apps[service])) {
      const op = doc().paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      const access = route.access;
      if (access === undefined || access.anyone === true) {
        expect(op?.["x-roles"], route.path).toEqual(["anonymous"]);
      } else {
        expect(op?.["x-roles"], route.path).toEqual([...new Set([...access.roles, "admin"])]);
        expect(op?.security, route.path).toContainEqual({ bearer: [] });
        expect(String(op?.description), route.path).toContain("Roles: ");
      }
    }
  });

  it("is rendered for people at /docs, from files the service serves itself", async () => {
    const page = await fetch(`${world.urls[service]}/docs`);
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(docs\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(["docs/swagger-ui.css", "docs/swagger-ui-bundle.js", "docs/start.js"]);
    for (const asset of assets) {
      const res = await fetch(`${world.urls[service]}/${asset}`);
      expect(res.status, asset).toBe(200);
      expect((await res.text()).length, asset).toBeGreaterThan(0);
    }
    expect((await fetch(`${world.urls[service]}/docs/..%2Fpackage.json`)).status).toBe(400);
  });
});

/** Every documented route that declares a body or path parameters, with a request breaking them. */
const declaredInputs = () =>
  SERVICES.flatMap((service) =>
    registeredRoutes(world.apps[service])
      .filter((r) => r.spec?.body !== undefined || r.spec?.params !== undefined)
      .map((r) => ({ service, route: r })),
  );

describe("the codecs a route declares", () => {
  // Generated from the specs: a route that declares a codec and does not decode with it fails.
  it("are the ones it decodes with: a request that breaks them is a 400 naming the part", async () => {
    const admin = await world.issuer.bearer("admin-1", ["admin"]);
    const checked: string[] = [];
    for (const { service, route } of declaredInputs()) {
      const spec = route.spec;
      const badPath = route.path.replace(/:[A-Za-z]+/g, "not%20an%20id!");
      const path = spec?.params === undefined ? route.path : badPath;
      const res = await fetch(`${world.urls[service]}${path}`, {
        method: route.method,
        headers: { ...admin, "content-type": "application/json" },
        ...(route.method === "GET" ? {} : { body: "[1]" }),
      });
      const name = `${service} ${route.method} ${route.path}`;
      expect(res.status, name).toBe(400);
      const problem = (await res.json()) as { code: string; errors?: Array<{ path: string }> };
      expect(problem.code, name).toBe("INVALID_REQUEST");
      const part = spec?.params === undefined ? "body" : "path";
      expect(
        problem.errors?.some((e) => e.path.startsWith(part)),
        `${name}: ${JSON.stringify(problem.errors)}`,
      ).toBe(true);
      checked.push(name);
    }
    expect(checked.length).toBeGreaterThan(30);
  });
});
