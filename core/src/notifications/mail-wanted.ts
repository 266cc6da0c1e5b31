import * as E from "fp-ts/lib/Either.js";
import {
  isMailEnabled,
  type MailPreferencesState,
} from "../domain/mail-preferences/mail-preferences.js";
import type { OrderEvent } from "../domain/order/events.js";
import { Category } from "../domain/streams.js";
import type { CustomerId } from "../shared/codecs.js";
import type { MailIntent } from "./mail-intent.js";

/**
 * The streams the mail sender follows: an order's and its delivery's. A customer's preferences
 * it reads when it decides a message, so it never waits on their stream.
 */
export const MAIL_SENDER_CATEGORIES: ReadonlyArray<Category> = [Category.Order, Category.Delivery];

/** Whom an order's mail goes to: the customer its stream opens with, if it opens with its creation. */
export const customerOfOpening = (first: OrderEvent): CustomerId | undefined =>
  first.type === "OrderCreated" ? first.data.customerId : undefined;

/**
 * Whether a customer is mailed about an intent, given their preferences as they could be read: a
 * preference that cannot be read is no reason to stay silent about an order.
 */
export const isMailWanted = <L>(
  preferences: E.Either<L, MailPreferencesState>,
  intent: Pick<MailIntent, "kind">,
): boolean => E.isLeft(preferences) || isMailEnabled(preferences.right, intent.kind);
