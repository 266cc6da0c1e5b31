import { withSchema } from "@mebel/adapter-http";
import { CustomerId, MailKind, MailResend, OrderId, Text } from "@mebel/core";
import * as t from "io-ts";

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** A message's id: the id of the event it tells of. */
export const MessagePath = t.type({
  messageId: withSchema(
    t.refinement(t.string, (s) => ID.test(s), "MessageId"),
    { type: "string", pattern: ID.source, description: "message id: the event's id" },
  ),
});

/** Why staff send it again: kept with the message, for whoever reads its history. */
export const ResendBody = t.exact(t.type({ reason: Text }));

const FailedMailAnswer = t.type({
  id: t.string,
  kind: MailKind,
  orderId: OrderId,
  customerId: CustomerId,
  attempts: t.number,
  error: t.string,
  resends: t.readonlyArray(MailResend),
});

export const FAILED_MAIL_LIMIT = 100;

export const FailedMailList = t.type({ messages: t.readonlyArray(FailedMailAnswer) });

export const ResentAnswer = t.type({
  id: t.string,
  status: t.literal("pending"),
  resend: MailResend,
});
