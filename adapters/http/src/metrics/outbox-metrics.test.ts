import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { registerOutboxMetrics } from "./outbox-metrics.js";

describe("the outbox on /metrics", () => {
  it("shows what the outbox holds at each scrape, read once per scrape", async () => {
    const registry = new Registry();
    let reads = 0;
    let depth = 3;
    registerOutboxMetrics(registry, async () => {
      reads += 1;
      return { depth, oldestPendingAgeMs: 90_000, sent: 12, retried: 4, failed: 1 };
    });
    const first = await registry.metrics();
    expect(first).toContain('mebel_outbox_messages{state="pending"} 3');
    expect(first).toContain('mebel_outbox_messages{state="sent"} 12');
    expect(first).toContain('mebel_outbox_messages{state="failed"} 1');
    expect(first).toContain("mebel_outbox_oldest_pending_age_seconds 90");
    expect(first).toContain("mebel_outbox_retries_total 4");
    expect(reads).toBe(1);

    depth = 0;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await registry.metrics()).toContain('mebel_outbox_messages{state="pending"} 0');
    expect(reads).toBe(2);
  });

  it("leaves the figures out, not the whole page, while the outbox cannot be read", async () => {
    const registry = new Registry();
    registerOutboxMetrics(registry, () => Promise.reject(new Error("database away")));
    await expect(registry.metrics()).resolves.not.toContain('state="pending"');
  });
});
