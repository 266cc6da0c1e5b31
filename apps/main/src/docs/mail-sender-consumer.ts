import {
  Category,
  categoryOf,
  customerOfOpening,
  idOf,
  isMailWanted,
  MAIL_SENDER,
  MAIL_SENDER_CATEGORIES,
  type MailPreferenceEvent,
  type MailPreferencesState,
  mailIntentOf,
  mailPreferencesAggregate,
  type OrderEvent,
  orderStream,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { type Consumer, meaningful } from "./consumer.js";

/**
 * The mail sender, run on the pure part of its decision. The sender reads the store and the
 * identity store while it decides (the order's first event, the customer's preferences, their
 * account), so it cannot be handed a list of events as the other subscribers are: this run keeps,
 * from the events as they come, what the sender would read, and decides with the sender's own
 * functions. Every customer is taken to have an enabled account, as accounts are not events.
 */
export const mailSenderConsumer = (services: ReadonlyArray<string>): Consumer => ({
  kind: "process manager",
  name: MAIL_SENDER,
  services,
  reads: [Category.MailPreferences],
  start: () => {
    const { decider } = mailPreferencesAggregate;
    const openings = new Map<string, OrderEvent>();
    const preferences = new Map<string, MailPreferencesState>();
    const preferencesOf = (customerId: string) =>
      preferences.get(customerId) ?? decider.initialState;
    return (recorded) => {
      const category = categoryOf(recorded.streamName) as Category;
      if (category === Category.MailPreferences) {
        // Not a stream it follows, but the one it reads for every message: a change is acted on.
        const customerId = idOf(recorded.streamName);
        const before = preferencesOf(customerId);
        const after = decider.evolve(before, recorded.event as unknown as MailPreferenceEvent);
        preferences.set(customerId, after);
        return meaningful(before) !== meaningful(after);
      }
      if (!MAIL_SENDER_CATEGORIES.includes(category)) return false;
      if (category === Category.Order && !openings.has(recorded.streamName)) {
        const opening = recorded.event as OrderEvent;
        openings.set(recorded.streamName, opening);
        // Whom every later message of the order goes to.
        if (customerOfOpening(opening) !== undefined) return true;
      }
      const intent = mailIntentOf(recorded);
      if (intent === undefined) return false;
      const opening = openings.get(orderStream(intent.orderId));
      const customerId = opening === undefined ? undefined : customerOfOpening(opening);
      return customerId !== undefined && isMailWanted(E.right(preferencesOf(customerId)), intent);
    };
  },
});
