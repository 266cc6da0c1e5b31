import { randomUUID } from "node:crypto";
import type { Clock, Ids } from "@mebel/core";

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export const uuids: Ids = { next: () => randomUUID() };

/** A clock that moves only when told: sleeping advances it instead of waiting. */
export const manualClock = (start = new Date("2026-01-01T09:00:00.000Z")) => {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  } satisfies Clock & { advance: (ms: number) => void };
};
