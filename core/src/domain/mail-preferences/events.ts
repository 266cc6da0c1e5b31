import * as t from "io-ts";
import { CustomerId } from "../../shared/codecs.js";
import { type EventsOf, eventRegistry, versioned } from "../../shared/event-registry.js";

/** The kinds of e-mail a customer gets about an order, each of which they may turn off. */
export const MailKind = t.keyof({
  placed: null,
  assembled: null,
  courier_assigned: null,
  handed_over: null,
  delivered: null,
  delivery_failed: null,
  cancelled: null,
});
export type MailKind = t.TypeOf<typeof MailKind>;
export const MAIL_KINDS: ReadonlyArray<MailKind> = Object.keys(MailKind.keys) as MailKind[];

export const mailPreferenceEventCodecs = {
  /** The customer turned e-mail of one kind on or off: their choice, kept like any other fact. */
  EmailPreferenceChanged: versioned(
    t.type({ customerId: CustomerId, kind: MailKind, enabled: t.boolean }),
    [],
  ),
};

export const mailPreferenceEvents = eventRegistry(mailPreferenceEventCodecs);
export type MailPreferenceEvent = EventsOf<typeof mailPreferenceEventCodecs>;
