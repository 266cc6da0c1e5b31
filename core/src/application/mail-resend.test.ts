import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import { describe, expect, it } from "vitest";
import type { Account } from "../ports/accounts.js";
import type { KeptMessage, OutboxStatus } from "../ports/outbox.js";
import { customerAccount } from "../test-support/accounts.js";
import { decideResend } from "./mail-resend.js";

const AT = new Date("2026-12-07T10:00:00.000Z");
const request = { id: "e-1", by: "admin-1", reason: "mailbox was full, emptied now" };

const kept = (status: OutboxStatus, to = "olga@example.com"): KeptMessage => ({
  message: {
    id: "e-1",
    kind: "placed",
    orderId: "o-1",
    customerId: "olga",
    mail: {
      messageId: "<e-1.notification@mebel.example>",
      from: "shop@mebel.example",
      to,
      subject: "s",
      text: "t",
      html: "h",
    },
  } as never,
  status,
  attempts: 60,
  error: status === "failed" ? "gave up after 60 attempts: 452 mailbox full" : null,
});

const olga = (email: string, disabled = false): O.Option<Account> =>
  O.some(customerAccount("olga", { email, name: "Olga", disabled }));

const codeOf = (e: E.Either<{ readonly code: string }, unknown>) =>
  E.isLeft(e) ? e.left.code : "accepted";

describe("sending a failed message again", () => {
  it("given a message that ended failed, when staff resend it, it goes from the start to the same address, with who, why and what it ended with", () => {
    const decided = decideResend(request, kept("failed"), olga("olga@example.com"), AT);
    expect(decided).toEqual(
      E.right({
        to: "olga@example.com",
        resend: {
          at: AT.toISOString(),
          by: "admin-1",
          reason: "mailbox was full, emptied now",
          previousError: "gave up after 60 attempts: 452 mailbox full",
          previousAttempts: 60,
          addressChanged: false,
        },
      }),
    );
  });

  it("given the customer has another address now, when staff resend it, it goes there, and says so", () => {
    const decided = decideResend(
      request,
      kept("failed", "olga@exmaple.com"),
      olga("olga@example.com"),
      AT,
    );
    expect(E.isRight(decided) && decided.right).toMatchObject({
      to: "olga@example.com",
      resend: { addressChanged: true },
    });
  });

  it("refuses a message that is pending or sent, one that does not exist, and a closed account", () => {
    expect(codeOf(decideResend(request, kept("pending"), olga("olga@example.com"), AT))).toBe(
      "MAIL_NOT_FAILED",
    );
    expect(codeOf(decideResend(request, kept("sent"), olga("olga@example.com"), AT))).toBe(
      "MAIL_NOT_FAILED",
    );
    expect(codeOf(decideResend(request, undefined, olga("olga@example.com"), AT))).toBe(
      "MAIL_NOT_FOUND",
    );
    expect(codeOf(decideResend(request, kept("failed"), O.none, AT))).toBe("MAIL_RECIPIENT_CLOSED");
    expect(codeOf(decideResend(request, kept("failed"), olga("olga@example.com", true), AT))).toBe(
      "MAIL_RECIPIENT_CLOSED",
    );
  });
});
