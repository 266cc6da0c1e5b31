import type { MailTransport, OutgoingMail, SendOutcome } from "@mebel/core";
import nodemailer from "nodemailer";

interface SmtpError {
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly message?: string;
}

/**
 * What an SMTP failure means for the message. A 5xx reply is the server's final word (no such
 * mailbox, refused): failed. A 4xx, no connection, a timeout, a dropped socket or anything
 * unknown is tried again later: a mail server down for an hour must not lose an order's mail.
 */
export const classifySmtpError = (error: unknown): SendOutcome => {
  const e = (error ?? {}) as SmtpError;
  const said = (e.response ?? e.message ?? String(error)).slice(0, 500);
  // nodemailer's `response` is the server's whole reply line, which already starts with its code.
  const reason =
    e.responseCode === undefined
      ? `${e.code ?? "error"}: ${said}`
      : said.startsWith(`${e.responseCode}`)
        ? said
        : `${e.responseCode} ${said}`;
  return typeof e.responseCode === "number" && e.responseCode >= 500 && e.responseCode < 600
    ? { kind: "permanent", reason }
    : { kind: "temporary", reason };
};

/** The password of an SMTP URL replaced, for logs and /health. */
export const redactSmtpUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(not a URL)";
  }
};

export interface SmtpTransport extends MailTransport {
  readonly close: () => void;
}

/** Mail through an SMTP server (`smtp://user:pass@host:587`, `smtps://...`) with nodemailer. */
export const smtpTransport = (
  url: string,
  options: { readonly timeoutMs?: number } = {},
): SmtpTransport => {
  const timeout = options.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport(url, {
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    send: async (mail: OutgoingMail): Promise<SendOutcome> => {
      try {
        await transporter.sendMail({
          messageId: mail.messageId,
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
        });
        return { kind: "sent" };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
    close: () => transporter.close(),
  };
};
