import type { Either } from "fp-ts/lib/Either.js";
import type { DomainError } from "./domain-error.js";

/**
 * An aggregate as a decider: `decide` says what happens (or why not), `evolve` folds what happened.
 * `decide` returning no events means the command was already satisfied, which is how retries stay
 * idempotent.
 */
export interface Decider<Command, Event, State, Err extends DomainError = DomainError> {
  readonly initialState: State;
  readonly decide: (command: Command, state: State) => Either<Err, ReadonlyArray<Event>>;
  readonly evolve: (state: State, event: Event) => State;
}

export const fold =
  <Event, State>(evolve: (state: State, event: Event) => State) =>
  (state: State, events: ReadonlyArray<Event>): State =>
    events.reduce(evolve, state);
