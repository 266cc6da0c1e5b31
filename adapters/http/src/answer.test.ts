import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendJson } from "./answer.js";
import { type Listening, listen } from "./app.js";

// Each answer written twice: by sendJson, and as Express's own send would write it.
const app = express();
app.set("etag", false);
const texts: Readonly<Record<string, string>> = {
  short: JSON.stringify({ ok: true }),
  // Past 1,000 characters Express copies the text into a Buffer before it writes it.
  long: JSON.stringify({ lines: Array.from({ length: 100 }, (_, i) => ({ i, sku: `SKU-${i}` })) }),
  accented: JSON.stringify({ name: "Fauteuil à oreilles, chêne — 2 €" }),
};
const mediaTypes: Readonly<Record<string, string>> = {
  json: "application/json",
  problem: "application/problem+json",
};
const status = (req: express.Request) => Number(req.query.status ?? 201);
app.all("/fast/:text/:type", (req, res) => {
  if (req.query.etag !== undefined) res.setHeader("ETag", '"3"');
  sendJson(res, status(req), mediaTypes[req.params.type] ?? "", texts[req.params.text] ?? "");
});
app.all("/express/:text/:type", (req, res) => {
  if (req.query.etag !== undefined) res.setHeader("ETag", '"3"');
  res
    .status(status(req))
    .type(mediaTypes[req.params.type] ?? "")
    .send(texts[req.params.text] ?? "");
});
// A middleware that wraps send to see the answer, as the idempotency keys do.
app.post("/wrapped", (_req, res) => {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    res.setHeader("X-Seen", String(body).length);
    return send(body);
  }) as express.Response["send"];
  sendJson(res, 201, "application/json", texts.short ?? "");
});

let server: Listening;
beforeAll(async () => {
  server = await listen(app, 0);
});
afterAll(() => server.close());

const answer = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${server.url}${path}`, init);
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    length: res.headers.get("content-length"),
    chunked: res.headers.get("transfer-encoding"),
    etag: res.headers.get("etag"),
    body: await res.text(),
  };
};

describe("sendJson", () => {
  for (const text of Object.keys(texts)) {
    for (const type of Object.keys(mediaTypes)) {
      it(`writes a ${text} ${type} answer to a POST as Express's send does`, async () => {
        const fast = await answer(`/fast/${text}/${type}`, { method: "POST" });
        expect(fast).toEqual(await answer(`/express/${text}/${type}`, { method: "POST" }));
        expect(fast).toMatchObject({
          status: 201,
          type: `${mediaTypes[type]}; charset=utf-8`,
          length: String(Buffer.byteLength(texts[text] ?? "")),
          chunked: null,
          body: texts[text],
        });
      });
    }
  }

  it("leaves GET (its freshness), HEAD (no body) and bodiless statuses to Express", async () => {
    // fetch adds `cache-control: no-cache` to a conditional request unless told otherwise.
    const unless = (etag: string) => ({ "if-none-match": etag, "cache-control": "max-age=0" });
    const cases: ReadonlyArray<readonly [string, RequestInit]> = [
      ["/long/json?status=200&etag", { method: "GET", headers: unless('"3"') }],
      ["/long/json?status=200&etag", { method: "GET", headers: unless('"2"') }],
      ["/short/json?status=200", { method: "HEAD" }],
      ["/short/json?status=204", { method: "POST" }],
      ["/short/json?status=205", { method: "DELETE" }],
    ];
    const seen: number[] = [];
    for (const [path, init] of cases) {
      const fast = await answer(`/fast${path}`, init);
      expect(fast).toEqual(await answer(`/express${path}`, init));
      seen.push(fast.status);
    }
    expect(seen).toEqual([304, 200, 200, 204, 205]);
  });

  it("goes through a send a middleware wrapped, so that it sees the answer", async () => {
    const res = await fetch(`${server.url}/wrapped`, { method: "POST" });
    expect(res.headers.get("x-seen")).toBe(String(texts.short?.length));
    expect(await res.text()).toBe(texts.short);
  });
});
