import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CustomerId } from "../../shared/codecs.js";
import { fold } from "../../shared/decider.js";
import { given } from "../../testing/decider.js";
import { MAIL_KINDS, type MailKind, type MailPreferenceEvent } from "./events.js";
import { mailPreferencesDecider as decider, isMailEnabled } from "./mail-preferences.js";

const customerId = "olga" as CustomerId;
const changed = (kind: MailKind, enabled: boolean): MailPreferenceEvent => ({
  type: "EmailPreferenceChanged",
  data: { customerId, kind, enabled },
});
const set = (kind: MailKind, enabled: boolean) =>
  ({ type: "SetEmailPreference", customerId, kind, enabled }) as const;

describe("a customer's mail preferences", () => {
  it("turning a kind off records it; turning it off again records nothing", () => {
    given(decider).when(set("assembled", false)).thenEvents(changed("assembled", false));
    given(decider, changed("assembled", false)).when(set("assembled", false)).thenEvents();
  });

  it("every kind is on until turned off, and on again once turned back on", () => {
    given(decider).when(set("placed", true)).thenEvents();
    given(decider, changed("placed", false))
      .when(set("placed", true))
      .thenEvents(changed("placed", true));
  });

  it("the folded state says, for every kind, what the last choice for it said", () => {
    const choice = fc.tuple(fc.constantFrom(...MAIL_KINDS), fc.boolean());
    fc.assert(
      fc.property(fc.array(choice, { maxLength: 30 }), (choices) => {
        const events = choices.flatMap(([kind, enabled]) => [changed(kind, enabled)]);
        const state = fold(decider.evolve)(decider.initialState, events);
        for (const kind of MAIL_KINDS) {
          const last = [...choices].reverse().find(([k]) => k === kind);
          expect(isMailEnabled(state, kind)).toBe(last === undefined ? true : last[1]);
        }
      }),
    );
  });
});
