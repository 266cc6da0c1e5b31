import * as t from "io-ts";
import { MailKind } from "../domain/mail-preferences/events.js";
import type { Position } from "../events/recorded-event.js";
import { CustomerId, OrderId } from "../shared/codecs.js";

/** One e-mail as it is handed to the transport, whole: nothing is looked up again at send time. */
export const OutgoingMail = t.type({
  /** `<event id@sender's domain>`: the same for every attempt, so a copy is recognisable. */
  messageId: t.string,
  from: t.string,
  to: t.string,
  subject: t.string,
  text: t.string,
  html: t.string,
});
export type OutgoingMail = t.TypeOf<typeof OutgoingMail>;

/** A decision to send, keyed by the event that caused it: recording it twice keeps one. */
export const OutboxMessage = t.type({
  id: t.string,
  kind: MailKind,
  orderId: OrderId,
  customerId: CustomerId,
  mail: OutgoingMail,
});
export type OutboxMessage = t.TypeOf<typeof OutboxMessage>;

export interface OutboxEntry extends OutboxMessage {
  /** Attempts made so far (0 for a message never tried). */
  readonly attempts: number;
}

export type OutboxStatus = "pending" | "sent" | "failed";

/** The figures /health and /metrics show. `retried` counts temporary failures, each attempt once. */
export interface OutboxStats {
  readonly depth: number;
  readonly oldestPendingAgeMs: number | null;
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
}

/** A message that ended failed, and why: for people, without its contents. */
export interface FailedMessage {
  readonly id: string;
  readonly kind: MailKind;
  readonly orderId: OrderId;
  readonly attempts: number;
  readonly error: string;
}

/**
 * Staff sent a failed message again: who, why, when, and what it had ended with. Kept with the
 * message for good (its history), so a resend is never a silent reset of the attempts.
 */
export const MailResend = t.type({
  at: t.string,
  by: t.string,
  reason: t.string,
  previousError: t.string,
  previousAttempts: t.number,
  /** Whether it goes to another address than last time (the customer fixed theirs). */
  addressChanged: t.boolean,
});
export type MailResend = t.TypeOf<typeof MailResend>;

/** A failed message as the back office lists it: whose, and how often it was sent again. */
export interface FailedMail extends FailedMessage {
  readonly customerId: CustomerId;
  readonly resends: ReadonlyArray<MailResend>;
}

/** One message as kept, whatever its state: what a resend decides on. */
export interface KeptMessage {
  readonly message: OutboxMessage;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly error: string | null;
}

export interface Outbox {
  /**
   * Records the messages and moves `subscriber`'s checkpoint (kept with the read models) to
   * `position`, provided it is still `expected` (else CheckpointMovedError). On PostgreSQL one
   * transaction; elsewhere keyed by message id, so a batch recorded again changes nothing.
   */
  readonly record: (
    subscriber: string,
    messages: ReadonlyArray<OutboxMessage>,
    position: Position,
    expected: Position | null,
  ) => Promise<void>;
  /**
   * Pending messages whose next attempt is due, oldest first, at most `limit`; a message waits
   * while an older one to the same address is pending, so a customer's mail keeps its order.
   */
  readonly due: (now: Date, limit: number) => Promise<ReadonlyArray<OutboxEntry>>;
  readonly markSent: (id: string, at: Date) => Promise<void>;
  readonly markRetry: (
    id: string,
    attempts: number,
    nextAttemptAt: Date,
    error: string,
  ) => Promise<void>;
  readonly markFailed: (id: string, attempts: number, error: string) => Promise<void>;
  readonly stats: (now: Date) => Promise<OutboxStats>;
  /** The latest messages that ended failed, newest first. */
  readonly failures: (limit: number) => Promise<ReadonlyArray<FailedMail>>;
  readonly find: (id: string) => Promise<KeptMessage | undefined>;
  /**
   * Puts a failed message back to pending, due now, its attempts at zero, to `to` (the
   * customer's address as it is now), the same Message-ID, and `resend` added to its history.
   * Only while it is failed: false when it is not (another resend came first).
   */
  readonly resend: (id: string, to: string, resend: MailResend) => Promise<boolean>;
}

/** What the transport made of one attempt. */
export type SendOutcome =
  | { readonly kind: "sent" }
  | { readonly kind: "temporary"; readonly reason: string }
  | { readonly kind: "permanent"; readonly reason: string };

/** Delivers one e-mail (SMTP in production); never throws, it says what happened. */
export interface MailTransport {
  readonly send: (mail: OutgoingMail) => Promise<SendOutcome>;
}
