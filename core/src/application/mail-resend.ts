import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import type { Account, AccountStore } from "../ports/accounts.js";
import type { Clock } from "../ports/clock.js";
import type { KeptMessage, MailResend, Outbox } from "../ports/outbox.js";
import { type DomainError, domainError } from "../shared/domain-error.js";

export type MailResendError = DomainError<
  "MAIL_NOT_FOUND" | "MAIL_NOT_FAILED" | "MAIL_RECIPIENT_CLOSED"
>;

export interface MailResendRequest {
  readonly id: string;
  /** Who asks (their account id), and why: both kept with the message. */
  readonly by: string;
  readonly reason: string;
}

export interface ResentMail {
  readonly id: string;
  readonly resend: MailResend;
}

const notFailed = (id: string, status: string): MailResendError =>
  domainError(
    "MAIL_NOT_FAILED",
    `Message ${id} is ${status}: only a failed message is sent again.`,
    {
      status,
    },
  );

/**
 * Whether a kept message may go again, and to which address: only one that ended failed, and only
 * to a customer whose account is still open, at the address it has now (a customer who fixed a
 * mistyped address gets it there). Pure: the outbox and the account are read before.
 */
export const decideResend = (
  request: MailResendRequest,
  kept: KeptMessage | undefined,
  account: O.Option<Account>,
  at: Date,
): E.Either<MailResendError, { readonly to: string; readonly resend: MailResend }> => {
  if (kept === undefined) {
    return E.left(domainError("MAIL_NOT_FOUND", `There is no message ${request.id}.`));
  }
  if (kept.status !== "failed") return E.left(notFailed(request.id, kept.status));
  return pipe(
    account,
    O.filter((a) => !a.disabled),
    E.fromOption(() =>
      domainError(
        "MAIL_RECIPIENT_CLOSED",
        `The account of customer ${kept.message.customerId} is closed or disabled: nothing is sent to it.`,
      ),
    ),
    E.map((a) => ({
      to: a.email,
      resend: {
        at: at.toISOString(),
        by: request.by,
        reason: request.reason,
        previousError: kept.error ?? "",
        previousAttempts: kept.attempts,
        addressChanged: a.email !== kept.message.mail.to,
      },
    })),
  );
};

export interface MailResendDeps {
  readonly outbox: Pick<Outbox, "find" | "resend">;
  readonly accounts: Pick<AccountStore, "byId">;
  readonly clock: Pick<Clock, "now">;
}

/**
 * Sends a failed message again (staff's choice, recorded with who and why): the worker tries it
 * afresh with the same Message-ID, so a receiver that did get it after all recognises the copy.
 */
export const resendMail =
  (deps: MailResendDeps) =>
  async (request: MailResendRequest): Promise<E.Either<MailResendError, ResentMail>> => {
    const kept = await deps.outbox.find(request.id);
    const account = kept === undefined ? O.none : await deps.accounts.byId(kept.message.customerId);
    const decided = decideResend(request, kept, account, deps.clock.now());
    if (E.isLeft(decided)) return decided;
    const { to, resend } = decided.right;
    if (await deps.outbox.resend(request.id, to, resend))
      return E.right({ id: request.id, resend });
    // Another resend came between the read and now: refused, as if asked after it.
    const now = await deps.outbox.find(request.id);
    return E.left(notFailed(request.id, now?.status ?? "pending"));
  };
