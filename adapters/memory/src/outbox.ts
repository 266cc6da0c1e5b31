import type {
  FailedMail,
  MailResend,
  Outbox,
  OutboxEntry,
  OutboxMessage,
  OutboxStatus,
  ReadModelStore,
} from "@mebel/core";

interface Kept {
  readonly seq: number;
  message: OutboxMessage;
  /** Since when it waits: when recorded, or when last sent again. */
  waitingSince: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  error: string | undefined;
  readonly history: MailResend[];
}

/**
 * The outbox in a map keyed by message id, its checkpoint in the read-model store beside it.
 * Not one transaction: a batch recorded again after a crash finds its messages there already
 * and keeps them as they are, which is what keying by event id is for.
 */
export const createMemoryOutbox = (
  readModels: ReadModelStore,
  now: () => Date = () => new Date(),
): Outbox => {
  const kept = new Map<string, Kept>();
  let seq = 0;
  let retried = 0;
  const entries = () => [...kept.values()].sort((a, b) => a.seq - b.seq);
  const get = (id: string): Kept => {
    const found = kept.get(id);
    if (found === undefined) throw new Error(`No message ${id} in the outbox.`);
    return found;
  };
  return {
    record: async (subscriber, messages, position, expected) => {
      for (const message of messages) {
        if (kept.has(message.id)) continue;
        const at = now().getTime();
        kept.set(message.id, {
          seq: seq++,
          message: structuredClone(message),
          waitingSince: at,
          status: "pending",
          attempts: 0,
          nextAttemptAt: at,
          error: undefined,
          history: [],
        });
      }
      await readModels.commit(subscriber, new Map(), position, expected);
    },
    due: async (at, limit) => {
      const pending = entries().filter((k) => k.status === "pending");
      const waiting = new Set<string>();
      const due: OutboxEntry[] = [];
      for (const k of pending) {
        const to = k.message.mail.to;
        if (!waiting.has(to) && k.nextAttemptAt <= at.getTime() && due.length < limit) {
          due.push({ ...structuredClone(k.message), attempts: k.attempts });
        }
        waiting.add(to);
      }
      return due;
    },
    markSent: async (id) => {
      const k = get(id);
      k.status = "sent";
      k.attempts += 1;
    },
    markRetry: async (id, attempts, nextAttemptAt, error) => {
      const k = get(id);
      k.attempts = attempts;
      k.nextAttemptAt = nextAttemptAt.getTime();
      k.error = error;
      retried += 1;
    },
    markFailed: async (id, attempts, error) => {
      const k = get(id);
      k.status = "failed";
      k.attempts = attempts;
      k.error = error;
    },
    stats: async (at) => {
      const all = [...kept.values()];
      const pending = all.filter((k) => k.status === "pending");
      const oldest = Math.min(...pending.map((k) => k.waitingSince));
      return {
        depth: pending.length,
        oldestPendingAgeMs: pending.length === 0 ? null : Math.max(0, at.getTime() - oldest),
        sent: all.filter((k) => k.status === "sent").length,
        retried,
        failed: all.filter((k) => k.status === "failed").length,
      };
    },
    failures: async (limit) =>
      entries()
        .filter((k) => k.status === "failed")
        .reverse()
        .slice(0, limit)
        .map(
          (k): FailedMail => ({
            id: k.message.id,
            kind: k.message.kind,
            orderId: k.message.orderId,
            customerId: k.message.customerId,
            attempts: k.attempts,
            error: k.error ?? "",
            resends: structuredClone(k.history),
          }),
        ),
    find: async (id) => {
      const k = kept.get(id);
      return k === undefined
        ? undefined
        : {
            message: structuredClone(k.message),
            status: k.status,
            attempts: k.attempts,
            error: k.error ?? null,
          };
    },
    resend: async (id, to, resend) => {
      const k = kept.get(id);
      if (k?.status !== "failed") return false;
      const at = Date.parse(resend.at);
      k.message = { ...k.message, mail: { ...k.message.mail, to } };
      k.status = "pending";
      k.attempts = 0;
      k.nextAttemptAt = at;
      k.waitingSince = at;
      k.error = undefined;
      k.history.push(structuredClone(resend));
      return true;
    },
  };
};
