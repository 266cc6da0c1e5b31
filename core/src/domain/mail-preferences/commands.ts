import * as t from "io-ts";
import { CustomerId } from "../../shared/codecs.js";
import { MailKind } from "./events.js";

export const SetEmailPreference = t.type({
  type: t.literal("SetEmailPreference"),
  customerId: CustomerId,
  kind: MailKind,
  enabled: t.boolean,
});
export const MailPreferencesCommand = SetEmailPreference;
export type MailPreferencesCommand = t.TypeOf<typeof MailPreferencesCommand>;
