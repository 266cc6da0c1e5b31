import type { OutboxStats } from "@mebel/core";
import { Counter, Gauge, type Registry } from "prom-client";

/**
 * The mail outbox on /metrics, read from the outbox itself at each scrape (its rows are the
 * truth, whichever instance sent them): how many messages wait, have gone and have failed, how
 * old the oldest waiting one is, and how many temporary failures were retried.
 */
export const registerOutboxMetrics = (
  registry: Registry,
  stats: () => Promise<OutboxStats>,
): void => {
  // One read serves every metric of the same scrape.
  let pending: Promise<OutboxStats | undefined> | undefined;
  const read = (): Promise<OutboxStats | undefined> => {
    pending ??= stats()
      .catch(() => undefined)
      .finally(() => {
        setTimeout(() => {
          pending = undefined;
        }, 0);
      });
    return pending;
  };
  new Gauge({
    name: "mebel_outbox_messages",
    help: "Customers' e-mail in the outbox, by state",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const figures = await read();
      if (figures === undefined) return;
      this.set({ state: "pending" }, figures.depth);
      this.set({ state: "sent" }, figures.sent);
      this.set({ state: "failed" }, figures.failed);
    },
  });
  new Gauge({
    name: "mebel_outbox_oldest_pending_age_seconds",
    help: "Age of the oldest message still waiting to be sent (0 when none waits)",
    registers: [registry],
    async collect() {
      const figures = await read();
      if (figures !== undefined) this.set((figures.oldestPendingAgeMs ?? 0) / 1000);
    },
  });
  new Counter({
    name: "mebel_outbox_retries_total",
    help: "Temporary send failures retried later, each attempt once",
    registers: [registry],
    async collect() {
      const figures = await read();
      if (figures === undefined) return;
      this.reset();
      this.inc(figures.retried);
    },
  });
};
