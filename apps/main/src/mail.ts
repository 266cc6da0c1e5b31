import { registerOutboxMetrics } from "@mebel/adapter-http";
import { systemClock } from "@mebel/adapter-memory";
import {
  type MailSink,
  redactSmtpUrl,
  serveMailSink,
  smtpTransport,
  startMailSink,
} from "@mebel/adapter-smtp";
import {
  defaultMailStyle,
  type FailedMessage,
  MAIL_SENDER,
  type OutboxStats,
  resendMail,
  type SubscriberStatus,
  startMailSender,
  startMailWorker,
} from "@mebel/core";
import { couriersFromJson } from "@mebel/delivery";
import { demoCouriers } from "@mebel/demo/demo-data";
import type { MailAdminDeps } from "@mebel/site";
import * as E from "fp-ts/lib/Either.js";
import type { Shared } from "./prepare.js";

/** The outbox's figures, for /health and /metrics alike. */
export interface OutboxFigures extends OutboxStats {
  /** The latest messages that ended failed, and why (no contents, no addresses). */
  readonly recentFailures: ReadonlyArray<FailedMessage>;
}

export interface RunningMail {
  readonly status: () => ReadonlyArray<SubscriberStatus>;
  readonly figures: () => Promise<OutboxFigures>;
  /** The back office's failed mail, and sending one again. */
  readonly admin: MailAdminDeps;
  /** The development sink, when this process keeps mail for a person to read. */
  readonly sink?: MailSink;
  readonly stop: () => Promise<void>;
}

/**
 * Mail tells times in the shop's zone (the slot policy's) and names couriers as MEBEL_COURIERS
 * does, the demo's when unset, as the delivery service would; a courier it cannot name is told by id.
 */
const mailStyleOf = (settings: Shared["settings"]) => {
  const couriers =
    settings.couriersJson === undefined
      ? E.right(demoCouriers)
      : couriersFromJson(settings.couriersJson);
  return {
    ...defaultMailStyle,
    timeZone: settings.slots.timeZone,
    courierNames: Object.fromEntries(
      (E.isRight(couriers) ? couriers.right : []).map((c) => [c.id, c.name]),
    ),
  };
};

/** Ends the process as kill -9 would, at a point the crash tests choose; never set otherwise. */
const dieHere = (): void => {
  process.kill(process.pid, "SIGKILL");
};

/**
 * Customers' e-mail: the sender (order and delivery events into the outbox) and the worker
 * (outbox to SMTP), both under locks so one instance of each runs among all. Without an SMTP URL
 * the embedded demo sends to an in-process development sink and says where to read it; a
 * service on a server then sends nothing, and says so.
 */
export const startMail = async (shared: Shared): Promise<RunningMail | undefined> => {
  const { mail, state, host } = shared.settings;
  const logger = shared.logger.child({ service: "mail" });
  if (shared.running.has(MAIL_SENDER)) return undefined;
  let sink: MailSink | undefined;
  let page: { readonly url: string; readonly close: () => Promise<void> } | undefined;
  let smtpUrl = mail.smtpUrl;
  if (smtpUrl === undefined) {
    if (state.kind !== "embedded") {
      logger.info({}, "MEBEL_SMTP_URL is not set: customers get no e-mail from this instance");
      return undefined;
    }
    sink = await startMailSink({ host });
    // A second demo on the machine (or tests side by side) takes another port rather than fail.
    page = await serveMailSink(sink, { host, port: mail.sinkPort }).catch(() =>
      serveMailSink(sink as MailSink, { host, port: 0 }),
    );
    smtpUrl = sink.smtpUrl;
    process.stdout.write(`Mail to customers goes to a development sink: read it at ${page.url}\n`);
  } else {
    logger.info(
      { smtp: redactSmtpUrl(smtpUrl), from: mail.from },
      "customers' e-mail through SMTP",
    );
  }
  shared.running.add(MAIL_SENDER);
  const transport = smtpTransport(smtpUrl);
  const { outbox, store, readModels, accounts, locks } = shared.infra;
  // Stopping after the decision is recorded means nothing may send it first: the worker looks
  // once as it starts (before anything is recorded) and not again.
  const worker = startMailWorker({
    outbox,
    transport,
    clock: systemClock,
    locks,
    logger,
    pollMs: mail.fault === "after-record" ? 3_600_000 : mail.pollMs,
    ...(mail.fault === "after-send" ? { afterSend: dieHere } : {}),
  });
  const sender = startMailSender({
    store,
    readModels,
    outbox,
    accounts,
    clock: systemClock,
    locks,
    logger,
    from: mail.from,
    style: mailStyleOf(shared.settings),
    onRecorded: () => {
      if (mail.fault === "after-record") dieHere();
      worker.wake();
    },
  });
  if (shared.telemetry.metrics.enabled) {
    registerOutboxMetrics(shared.telemetry.metrics.registry, () => outbox.stats(systemClock.now()));
  }
  return {
    status: () => [sender.status(), worker.status()],
    figures: async () => {
      const [stats, recentFailures] = await Promise.all([
        outbox.stats(systemClock.now()),
        outbox.failures(5),
      ]);
      // /health is public: whose mail it was, and who sent it again, stay in the back office.
      return {
        ...stats,
        recentFailures: recentFailures.map(({ id, kind, orderId, attempts, error }) => ({
          id,
          kind,
          orderId,
          attempts,
          error,
        })),
      };
    },
    admin: {
      failures: outbox.failures,
      resend: async (request) => {
        const resent = await resendMail({ outbox, accounts, clock: systemClock })(request);
        worker.wake();
        return resent;
      },
    },
    ...(sink === undefined ? {} : { sink }),
    stop: async () => {
      await sender.stop();
      await worker.stop();
      transport.close();
      await page?.close();
      await sink?.close();
    },
  };
};
