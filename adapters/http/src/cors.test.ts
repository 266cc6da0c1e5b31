import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApp, finishHttpApp, type Listening, listen } from "./app.js";
import { createLogger } from "./logger.js";

const logger = createLogger("cors-test", "silent");
const servers: Listening[] = [];
const serve = async (corsOrigins?: ReadonlyArray<string>) => {
  const app = createHttpApp({ logger, ...(corsOrigins === undefined ? {} : { corsOrigins }) });
  app.get("/things", (_req, res) => {
    res.json([]);
  });
  const server = await listen(finishHttpApp(app, logger), 0);
  servers.push(server);
  return server.url;
};
let off: string;
let on: string;
beforeAll(async () => {
  off = await serve();
  on = await serve(["https://shop.example"]);
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

const preflight = (url: string, origin: string) =>
  fetch(`${url}/things`, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST" },
  });

describe("CORS and security headers", () => {
  it("sends no CORS header unless the origin is listed", async () => {
    for (const res of [
      await fetch(`${off}/things`, { headers: { origin: "https://shop.example" } }),
      await fetch(`${on}/things`, { headers: { origin: "https://evil.example" } }),
      await preflight(on, "https://evil.example"),
    ]) {
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("answers a listed origin, its preflight included", async () => {
    const res = await preflight(on, "https://shop.example");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(res.headers.get("access-control-allow-headers")).toContain("authorization");
  });

  it("sets helmet's headers on every answer", async () => {
    const res = await fetch(`${off}/things`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
  });
});
