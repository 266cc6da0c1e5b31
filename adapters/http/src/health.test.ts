import type { SubscriberStatus } from "@mebel/core";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Listening, listen } from "./app.js";
import { type HealthSources, healthRoutes } from "./health.js";

const retrying: SubscriberStatus = {
  name: "availability",
  state: "retrying",
  checkpoint: 5n,
  handled: 5,
  retry: {
    attempt: 3,
    nextAttemptAt: "2026-01-01T00:00:04.000Z",
    lastError: "PostgreSQL is unavailable: Connection terminated unexpectedly",
  },
};
const running: SubscriberStatus = {
  name: "order-view",
  state: "running",
  checkpoint: 7n,
  handled: 7,
};

let sources: HealthSources;
let server: Listening;
beforeAll(async () => {
  const app = express();
  app.get("/health", (req, res) => healthRoutes(sources).health(req, res));
  app.get("/ready", (req, res) => healthRoutes(sources).ready(req, res));
  server = await listen(app, 0);
});
afterAll(() => server.close());

const get = async (path: string) => {
  const res = await fetch(`${server.url}${path}`);
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field in tests
  return { status: res.status, body: (await res.json()) as any };
};

describe("health", () => {
  it("shows a retrying subscriber with its last error and next attempt, and stays ready", async () => {
    sources = { subscribers: () => [running, retrying], head: async () => 7n };
    const health = await get("/health");
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("degraded");
    expect(health.body.subscribers[1]).toEqual({
      name: "availability",
      state: "retrying",
      checkpoint: "5",
      head: "7",
      lag: "2",
      retry: {
        attempt: 3,
        nextAttemptAt: "2026-01-01T00:00:04.000Z",
        lastError: "PostgreSQL is unavailable: Connection terminated unexpectedly",
      },
    });
    expect((await get("/ready")).status).toBe(200);
  });

  it("counts a subscriber that moved past the head it read as caught up, never behind by less than 0", async () => {
    sources = { subscribers: () => [{ ...running, checkpoint: 40n }], head: async () => 38n };
    const health = await get("/health");
    expect(health.body.subscribers[0]).toMatchObject({ checkpoint: "40", head: "38", lag: "0" });
  });

  it("answers while the store cannot tell its head, with the lag unknown", async () => {
    sources = {
      subscribers: () => [running],
      head: () => Promise.reject(new Error("Connection terminated")),
    };
    const health = await get("/health");
    expect(health.status).toBe(200);
    expect(health.body.subscribers[0]).toMatchObject({ head: null, lag: null });
  });

  it("reports the instance's connection budget with its total", async () => {
    sources = {
      subscribers: () => [running],
      head: async () => 7n,
      connections: () => ({ pool: 8, listener: 2, session: 1, thread: 0 }),
    };
    const health = await get("/health");
    expect(health.body.connections).toEqual({
      pool: 8,
      listener: 2,
      session: 1,
      thread: 0,
      total: 11,
    });
  });

  it("is 503 once a subscriber has failed for good", async () => {
    sources = {
      subscribers: () => [{ ...running, state: "failed", error: "CORRUPT_EVENT" }],
      head: async () => 7n,
    };
    const health = await get("/health");
    expect(health.status).toBe(503);
    expect(health.body.status).toBe("failing");
  });

  it("shows the mail outbox's figures, and says so when its store cannot answer", async () => {
    const figures = { depth: 2, oldestPendingAgeMs: 90_000, sent: 5, retried: 3, failed: 1 };
    sources = { subscribers: () => [running], head: async () => 7n, outbox: async () => figures };
    const health = await get("/health");
    expect(health.status).toBe(200);
    expect(health.body.outbox).toEqual(figures);
    sources = {
      subscribers: () => [running],
      head: async () => 7n,
      outbox: async () => {
        throw new Error("PostgreSQL is unavailable");
      },
    };
    const away = await get("/health");
    expect(away.status).toBe(200);
    expect(away.body.outbox).toEqual({ known: false });
  });
});
