import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiProxy } from "./api-proxy.js";

const serve = (app: express.Express): Promise<{ url: string; server: Server }> =>
  new Promise((done) => {
    const server = app.listen(0, "127.0.0.1", () => {
      done({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server });
    });
  });

describe("the API proxy and server-sent events", () => {
  let upstream: { url: string; server: Server };
  let proxy: { url: string; server: Server };
  let release: () => void = () => {};

  beforeAll(async () => {
    const delivery = express();
    delivery.get("/deliveries/live", (req, res) => {
      res.status(200).set({ "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.flushHeaders();
      res.write(": ready\n\n");
      // The second event comes when the test says, well past the proxy's answer timeout.
      release = () => res.write('event: changed\ndata: {"position":"7"}\n\n');
      req.on("close", () => res.end());
    });
    upstream = await serve(delivery);
    const site = express();
    site.use(
      apiProxy({ warehouse: upstream.url, delivery: upstream.url, catalog: upstream.url }, 100),
    );
    proxy = await serve(site);
  });

  afterAll(async () => {
    proxy.server.closeAllConnections();
    upstream.server.closeAllConnections();
    await new Promise((done) => proxy.server.close(done));
    await new Promise((done) => upstream.server.close(done));
  });

  it("passes a stream through as it comes, for as long as it lasts", async () => {
    const controller = new AbortController();
    const res = await fetch(`${proxy.url}/api/delivery/deliveries/live`, {
      signal: controller.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes(": ready")) text += decoder.decode((await reader.read()).value);
    // Longer than the timeout that bounds an ordinary answer.
    await new Promise((done) => setTimeout(done, 300));
    release();
    while (!text.includes("event: changed")) text += decoder.decode((await reader.read()).value);
    expect(text).toContain('data: {"position":"7"}');
    controller.abort();
  });
});
