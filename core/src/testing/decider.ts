import * as E from "fp-ts/lib/Either.js";
import type { Decider } from "../shared/decider.js";
import type { DomainError } from "../shared/domain-error.js";
import { assertJsonEqual, canonicalJson } from "./equality.js";

export interface Then<Event, State, Err extends DomainError> {
  /** The command emits exactly these events (none: it was already satisfied). */
  readonly thenEvents: (...expected: ReadonlyArray<Event>) => State;
  /** The command is refused with this error code. */
  readonly thenRejects: (code: Err["code"]) => Err;
}

/**
 * Given past events, when a command, then events or a rejection: the domain's own way of stating a
 * rule, usable from any test runner. Throws an Error with both sides on a mismatch; returns the
 * resulting state (or the error) for further checks.
 */
export const given = <Command, Event, State, Err extends DomainError>(
  decider: Decider<Command, Event, State, Err>,
  ...history: ReadonlyArray<Event>
) => ({
  when: (command: Command): Then<Event, State, Err> => {
    const state = history.reduce(decider.evolve, decider.initialState);
    const outcome = decider.decide(command, state);
    return {
      thenEvents: (...expected) => {
        if (E.isLeft(outcome)) {
          throw new Error(`expected events, got rejection ${canonicalJson(outcome.left)}`);
        }
        assertJsonEqual(outcome.right, expected, "events differ");
        return outcome.right.reduce(decider.evolve, state);
      },
      thenRejects: (code) => {
        if (E.isRight(outcome)) {
          throw new Error(`expected rejection ${code}, got events ${canonicalJson(outcome.right)}`);
        }
        if (outcome.left.code !== code) {
          throw new Error(`expected rejection ${code}, got ${canonicalJson(outcome.left)}`);
        }
        return outcome.left;
      },
    };
  },
  /** The state the history folds to. */
  state: (): State => history.reduce(decider.evolve, decider.initialState),
});
