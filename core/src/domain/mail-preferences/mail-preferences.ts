import * as E from "fp-ts/lib/Either.js";
import type { Decider } from "../../shared/decider.js";
import type { DomainError } from "../../shared/domain-error.js";
import type { MailPreferencesCommand } from "./commands.js";
import type { MailKind, MailPreferenceEvent } from "./events.js";

/** The kinds a customer turned off; every other kind is sent. */
export interface MailPreferencesState {
  readonly off: ReadonlyArray<MailKind>;
}

/** Nothing to refuse: any customer may choose any kind; choosing what holds already is a no-op. */
export type MailPreferencesError = DomainError<never>;

export const isMailEnabled = (state: MailPreferencesState, kind: MailKind): boolean =>
  !state.off.includes(kind);

export const mailPreferencesDecider: Decider<
  MailPreferencesCommand,
  MailPreferenceEvent,
  MailPreferencesState,
  MailPreferencesError
> = {
  initialState: { off: [] },
  decide: (command, state) =>
    E.right(
      isMailEnabled(state, command.kind) === command.enabled
        ? []
        : [
            {
              type: "EmailPreferenceChanged",
              data: {
                customerId: command.customerId,
                kind: command.kind,
                enabled: command.enabled,
              },
            },
          ],
    ),
  evolve: (state, event) => {
    const others = state.off.filter((kind) => kind !== event.data.kind);
    return { off: event.data.enabled ? others : [...others, event.data.kind] };
  },
};
