import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { type EventStream, openEventStream, streamSlots } from "./sse.js";

describe("openEventStream", () => {
  it("ends the stream of a client that takes nothing once its buffer is full, instead of growing it", async () => {
    let stream: EventStream | undefined;
    const app = express();
    app.get("/events", (req, res) => {
      stream = openEventStream(req, res, { maxBufferedBytes: 64 * 1024 });
    });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    // Headers read, body never: everything sent piles up behind the socket.
    const answer = await fetch(`http://127.0.0.1:${port}/events`);
    expect(answer.headers.get("content-type")).toContain("text/event-stream");
    const chunk = "x".repeat(16 * 1024);
    let sent = 0;
    while (stream?.send("filler", chunk) === true && sent < 100_000) sent += 1;
    expect(stream?.send("late", "nobody hears this")).toBe(false);
    expect(sent).toBeLessThan(100_000);
    await answer.body?.cancel();
    await stream?.closed;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe("streamSlots", () => {
  it("admits up to the limits per key and in all, and a released slot is taken again once", () => {
    const slots = streamSlots({ total: 3, perKey: 2 });
    const a1 = slots.take("a");
    const a2 = slots.take("a");
    expect(a1).toBeDefined();
    expect(a2).toBeDefined();
    expect(slots.take("a")).toBeUndefined();
    const b1 = slots.take("b");
    expect(b1).toBeDefined();
    expect(slots.take("c")).toBeUndefined();
    a1?.();
    a1?.();
    expect(slots.open()).toBe(2);
    expect(slots.take("c")).toBeDefined();
    expect(slots.take("a")).toBeUndefined();
  });
});
