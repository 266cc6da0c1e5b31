import { randomFillSync } from "node:crypto";
import type { Clock, Ids } from "@mebel/core";

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const HEX_DIGITS = Buffer.from("0123456789abcdef", "latin1");
const DASH = 0x2d;
/** Random bytes for 256 ids at a time: one system call, not one per id. */
const entropy = Buffer.alloc(4096);
let used = entropy.length;
const text = Buffer.alloc(36);

/**
 * A random (version 4) UUID as one flat string. crypto.randomUUID() builds its string by
 * concatenation: some twenty string pieces, about 490 bytes that stay alive for as long as the
 * id does, and a store keeps every event id for good. This one is 36 bytes of text.
 */
const randomUuid = (): string => {
  if (used + 16 > entropy.length) {
    randomFillSync(entropy);
    used = 0;
  }
  let at = 0;
  for (let i = 0; i < 16; i += 1) {
    let byte = entropy[used + i] as number;
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    if (i === 4 || i === 6 || i === 8 || i === 10) text[at++] = DASH;
    text[at++] = HEX_DIGITS[byte >> 4] as number;
    text[at++] = HEX_DIGITS[byte & 0x0f] as number;
  }
  used += 16;
  return text.toString("latin1", 0, 36);
};

export const uuids: Ids = { next: randomUuid };

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
