import { randomBytes } from "node:crypto";
import type { Principal } from "@mebel/adapter-http";

/**
 * Single-use tickets for the live feed: `EventSource` cannot send headers, and an access token in
 * a URL would end up in logs. A ticket lives seconds, opens one stream, and is then gone.
 */
export interface Tickets {
  readonly issue: (principal: Principal) => { readonly ticket: string; readonly expiresIn: number };
  readonly redeem: (ticket: string) => Principal | undefined;
}

export const TICKET_TTL_SECONDS = 30;
const MAX_OUTSTANDING = 10_000;

export const createTickets = (now: () => number = Date.now): Tickets => {
  const outstanding = new Map<string, { principal: Principal; until: number }>();
  const forgetExpired = () => {
    const at = now();
    for (const [ticket, held] of outstanding) if (held.until <= at) outstanding.delete(ticket);
  };
  return {
    issue: (principal) => {
      if (outstanding.size >= MAX_OUTSTANDING) forgetExpired();
      // Still full: the oldest go first (a Map iterates in insertion order).
      for (const oldest of outstanding.keys()) {
        if (outstanding.size < MAX_OUTSTANDING) break;
        outstanding.delete(oldest);
      }
      const ticket = randomBytes(24).toString("base64url");
      outstanding.set(ticket, { principal, until: now() + TICKET_TTL_SECONDS * 1000 });
      return { ticket, expiresIn: TICKET_TTL_SECONDS };
    },
    redeem: (ticket) => {
      const held = outstanding.get(ticket);
      outstanding.delete(ticket);
      return held !== undefined && held.until > now() ? held.principal : undefined;
    },
  };
};
