import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import type { MailPreferencesState } from "../domain/mail-preferences/mail-preferences.js";
import { orderEvents } from "../domain/order/events.js";
import { mailPreferencesStream, orderStream } from "../domain/streams.js";
import { schemaVersionOf } from "../events/recorded-event.js";
import type { Language } from "../notifications/language.js";
import { type MailIntent, mailIntentOf } from "../notifications/mail-intent.js";
import {
  customerOfOpening,
  isMailWanted,
  MAIL_SENDER_CATEGORIES,
} from "../notifications/mail-wanted.js";
import { defaultMailStyle, type MailStyle, renderMail } from "../notifications/templates.js";
import type { AccountStore } from "../ports/accounts.js";
import type { EventStore } from "../ports/event-store.js";
import type { Outbox, OutboxMessage } from "../ports/outbox.js";
import type { ReadModelStore } from "../ports/read-model-store.js";
import type { CustomerId } from "../shared/codecs.js";
import { mailPreferencesAggregate } from "./aggregates.js";
import { type CorruptEvent, foldStored } from "./load-aggregate.js";
import { loadParked } from "./parked-events.js";
import { type RunningSubscriber, type SubscriberDeps, startSubscriber } from "./subscriber.js";

export const MAIL_SENDER = "process.mail-sender";

export interface MailSenderDeps extends SubscriberDeps {
  readonly readModels: ReadModelStore;
  readonly outbox: Outbox;
  readonly accounts: Pick<AccountStore, "byId">;
  /** The From address, `Name <shop@domain>` or bare; its domain names every Message-ID. */
  readonly from: string;
  readonly defaultLanguage?: Language;
  readonly style?: MailStyle;
  /** Called once a batch's messages are recorded: wakes the worker (and tests stop here). */
  readonly onRecorded?: (messages: ReadonlyArray<OutboxMessage>) => void;
}

/** A customer's mail preferences, folded from their own stream. */
export const mailPreferencesOf = async (
  store: Pick<EventStore, "readStream">,
  customerId: CustomerId,
): Promise<E.Either<CorruptEvent, MailPreferencesState>> =>
  pipe(
    foldStored(
      mailPreferencesAggregate,
      { state: mailPreferencesAggregate.decider.initialState, revision: -1n },
      await store.readStream(mailPreferencesStream(customerId)),
    ),
    E.map(({ state }) => state),
  );

/** The domain of an address, `Mebel <shop@mebel.example>` or `shop@mebel.example`. */
export const domainOf = (address: string): string => {
  const bare = /<([^>]+)>/.exec(address)?.[1] ?? address;
  return bare.slice(bare.lastIndexOf("@") + 1).trim() || "localhost";
};

/** One id per event, whatever attempt: a second copy of a message says it is the same one. */
export const messageIdOf = (eventId: string, from: string): string =>
  `<${eventId}.notification@${domainOf(from)}>`;

/**
 * The notification sender, a process manager of its own: for each order or delivery event a
 * customer waits to hear about, it decides the e-mail (address and language from the identity
 * store, their mail preferences from their own stream) and records it in the outbox together
 * with its checkpoint. It sends nothing itself: the mail worker does, so a mail server that is
 * down never holds up the log.
 */
export const startMailSender = (deps: MailSenderDeps): RunningSubscriber => {
  const style = deps.style ?? defaultMailStyle;

  const customerOf = async (intent: MailIntent): Promise<CustomerId | undefined> => {
    const [first] = await deps.store.readStream(orderStream(intent.orderId), { maxCount: 1 });
    if (first === undefined) return undefined;
    const created = orderEvents.decode(first.type, first.data, schemaVersionOf(first.metadata));
    return E.isRight(created) ? customerOfOpening(created.right) : undefined;
  };

  const wants = async (customerId: CustomerId, intent: MailIntent): Promise<boolean> =>
    isMailWanted(await mailPreferencesOf(deps.store, customerId), intent);

  const messageFor = async (intent: MailIntent): Promise<OutboxMessage | undefined> => {
    const customerId = await customerOf(intent);
    if (customerId === undefined) return undefined;
    const account = await deps.accounts.byId(customerId);
    if (O.isNone(account) || account.value.disabled) return undefined;
    if (!(await wants(customerId, intent))) return undefined;
    const { email, name, language } = account.value;
    const rendered = renderMail(
      intent,
      { name, language: language ?? deps.defaultLanguage ?? "ru" },
      style,
    );
    return {
      id: intent.eventId,
      kind: intent.kind,
      orderId: intent.orderId,
      customerId,
      mail: {
        messageId: messageIdOf(intent.eventId, deps.from),
        from: deps.from,
        to: email,
        ...rendered,
      },
    };
  };

  return startSubscriber(
    {
      name: MAIL_SENDER,
      categories: MAIL_SENDER_CATEGORIES,
      loadCheckpoint: () => deps.readModels.checkpoint(MAIL_SENDER),
      loadParked: () => loadParked(deps.readModels, MAIL_SENDER),
      handle: async (events, position, expected, fence) => {
        const messages: OutboxMessage[] = [];
        for (const event of events) {
          const intent = mailIntentOf(event);
          const message = intent === undefined ? undefined : await messageFor(intent);
          if (message !== undefined) messages.push(message);
        }
        fence();
        await deps.outbox.record(MAIL_SENDER, messages, position, expected);
        if (messages.length > 0) deps.onRecorded?.(messages);
      },
    },
    deps,
  );
};
