import express from "express";
import helmet from "helmet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Listening, listen } from "./app.js";
import { securityHeaders } from "./security-headers.js";

const answering = (app: express.Express) => {
  app.get("/", (_req, res) => {
    res.json({});
  });
  return app;
};

let ours: Listening;
let helmets: Listening;
beforeAll(async () => {
  ours = await listen(answering(express().use(securityHeaders())), 0);
  helmets = await listen(answering(express().use(helmet())), 0);
});
afterAll(async () => {
  await ours.close();
  await helmets.close();
});

const headersOf = async (url: string) => {
  const res = await fetch(url);
  await res.text();
  const headers = Object.fromEntries(res.headers);
  delete headers.date;
  return headers;
};

describe("securityHeaders", () => {
  it("sets exactly helmet's headers, and takes X-Powered-By off as helmet does", async () => {
    const answer = await headersOf(ours.url);
    expect(answer).toEqual(await headersOf(helmets.url));
    expect(answer["x-powered-by"]).toBeUndefined();
    expect(answer).toMatchObject({
      "content-security-policy": expect.stringContaining("default-src 'self'"),
      "x-content-type-options": "nosniff",
      "x-frame-options": "SAMEORIGIN",
      "strict-transport-security": expect.stringContaining("max-age="),
    });
  });
});
