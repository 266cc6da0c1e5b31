import {
  decodePart,
  domainProblem,
  type GuardedRoutes,
  type Logger,
  type Principal,
  principalOf,
  requestContext,
  route,
} from "@mebel/adapter-http";
import type { FailedMail, MailResendError, MailResendRequest, ResentMail } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import {
  FAILED_MAIL_LIMIT,
  FailedMailList,
  MessagePath,
  ResendBody,
  ResentAnswer,
} from "./mail-codecs.js";

export interface MailAdminDeps {
  readonly failures: (limit: number) => Promise<ReadonlyArray<FailedMail>>;
  readonly resend: (request: MailResendRequest) => Promise<E.Either<MailResendError, ResentMail>>;
}

/**
 * The back office's failed mail: the latest messages that ended failed (a permanent refusal, or
 * given up after the worker's attempts), with why, and sending one again. A resend is kept with
 * the message (who, why, when) and logged as an audit line; its contents never are.
 */
export const addAdminMailRoutes = (
  routes: GuardedRoutes,
  deps: MailAdminDeps & { readonly logger: Logger },
): void => {
  routes.get(
    "/admin/mail/failed",
    {
      summary: "The latest customers' e-mail that ended failed, newest first, with why",
      responses: { 200: FailedMailList },
    },
    route(async () => E.right({ body: { messages: await deps.failures(FAILED_MAIL_LIMIT) } })),
  );

  routes.post(
    "/admin/mail/:messageId/resend",
    {
      summary:
        "Send a failed message again, from its first attempt, to the customer's address as it is now; same Message-ID",
      params: MessagePath,
      body: ResendBody,
      responses: { 200: ResentAnswer },
      problems: ["MAIL_NOT_FOUND", "MAIL_NOT_FAILED", "MAIL_RECIPIENT_CLOSED"],
    },
    route(async (req, res) => {
      const path = decodePart(MessagePath, "path")(req.params);
      if (E.isLeft(path)) return path;
      const body = decodePart(ResendBody, "body")(req.body ?? {});
      if (E.isLeft(body)) return body;
      const by = (principalOf(res) as Principal).sub;
      const resent = await deps.resend({
        id: path.right.messageId,
        by,
        reason: body.right.reason,
      });
      if (E.isLeft(resent)) return E.left(domainProblem(resent.left));
      deps.logger.info(
        {
          audit: "mail.resend",
          by,
          message: resent.right.id,
          addressChanged: resent.right.resend.addressChanged,
          correlationId: requestContext(res).correlationId,
        },
        "failed mail sent again by staff",
      );
      return E.right({
        body: { id: resent.right.id, status: "pending", resend: resent.right.resend },
      });
    }),
  );
};
