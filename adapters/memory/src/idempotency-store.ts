import type { IdempotencyStore, RecordedResponse } from "@mebel/core";

type Entry =
  | { state: "claimed"; fingerprint: string; until: number }
  | { state: "completed"; fingerprint: string; response: RecordedResponse };

export const createMemoryIdempotencyStore = (now: () => number = Date.now): IdempotencyStore => {
  const entries = new Map<string, Entry>();
  return {
    claim: async (key, fingerprint, leaseMs) => {
      const entry = entries.get(key);
      if (entry !== undefined && entry.fingerprint !== fingerprint) return { kind: "mismatch" };
      if (entry?.state === "completed") return { kind: "completed", response: entry.response };
      if (entry?.state === "claimed" && entry.until > now()) return { kind: "in_progress" };
      entries.set(key, { state: "claimed", fingerprint, until: now() + leaseMs });
      return { kind: "claimed" };
    },
    complete: async (key, response) => {
      const entry = entries.get(key);
      if (entry !== undefined)
        entries.set(key, { state: "completed", fingerprint: entry.fingerprint, response });
    },
    abandon: async (key) => {
      if (entries.get(key)?.state === "claimed") entries.delete(key);
    },
  };
};
