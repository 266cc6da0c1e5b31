import { describe, expect, it } from "vitest";
import { connectEventStoreDb } from "./connect.js";

describe("connectEventStoreDb", () => {
  it("connects lazily, and dispose stops a subscription still trying to reach the server", async () => {
    const drops: unknown[] = [];
    // Nothing listens on port 1: every attempt fails fast and the subscription keeps retrying.
    const connection = connectEventStoreDb("esdb://127.0.0.1:1?tls=false", {
      logger: { warn: (fields) => drops.push(fields) },
      subscriptionTiming: { retryMinMs: 5, retryMaxMs: 20 },
    });
    const subscription = connection.eventStore.subscribe({ categories: ["Order"] }, async () => {});
    await new Promise((resolve) => setTimeout(resolve, 300));
    await connection.dispose();
    await expect(subscription.done).resolves.toBeUndefined();
    expect(drops.length).toBeGreaterThan(0);
  });

  it("refuses a malformed connection string at once", () => {
    expect(() => connectEventStoreDb("http://localhost:2113")).toThrow();
  });
});
