import * as E from "fp-ts/lib/Either.js";
import type { Revision } from "../events/recorded-event.js";
import type { StateAt } from "./state-cache.js";

/** One command's share of a batch: what it appended (maybe nothing) and where that left the stream. */
export interface BatchStep<Event, State> {
  readonly events: ReadonlyArray<Event>;
  readonly state: State;
  /** Revision after this command's events, counted from the batch's base. */
  readonly revision: Revision;
}

export interface FoldedBatch<Event, State, Err> {
  /** One per command taken, in order: its refusal or its step. */
  readonly steps: ReadonlyArray<E.Either<Err, BatchStep<Event, State>>>;
  /** The state and revision after every accepted command. */
  readonly end: StateAt<State>;
}

/**
 * Folds commands through decide and evolve one after another, as the serial path would decide them
 * one per round trip: each sees the state the ones before it left, a refused one changes nothing.
 * `fits` is asked before a command's events join the batch (after the first accepted command); the
 * first command that does not fit ends the batch, and it and the rest are left for the next one.
 */
export const foldBatch = <Command, Event, State, Err>(
  decide: (command: Command, state: State, index: number) => E.Either<Err, ReadonlyArray<Event>>,
  evolve: (state: State, event: Event) => State,
  base: StateAt<State>,
  commands: ReadonlyArray<Command>,
  fits: (events: ReadonlyArray<Event>, index: number) => boolean,
): FoldedBatch<Event, State, Err> => {
  const steps: Array<E.Either<Err, BatchStep<Event, State>>> = [];
  let { state, revision } = base;
  for (const [index, command] of commands.entries()) {
    const decision = decide(command, state, index);
    if (E.isLeft(decision)) {
      steps.push(decision);
      continue;
    }
    const events = decision.right;
    if (events.length > 0 && !fits(events, index) && steps.length > 0) break;
    for (const event of events) state = evolve(state, event);
    revision += BigInt(events.length);
    steps.push(E.right({ events, state, revision }));
  }
  return { steps, end: { state, revision } };
};
