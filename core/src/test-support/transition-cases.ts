import { expect, it } from "vitest";
import type { Decider } from "../shared/decider.js";
import type { DomainError } from "../shared/domain-error.js";
import type { TransitionTable } from "../shared/transition-table.js";
import { given } from "../testing/decider.js";

interface Typed {
  readonly type: string;
}

export interface TransitionCases<Command extends Typed, Event extends Typed, State> {
  /** Events that bring a new stream to each state of the table. */
  readonly histories: Readonly<Record<string, ReadonlyArray<Event>>>;
  /** One command of each type, asking for something the history has not done yet. */
  readonly commands: ReadonlyArray<Command>;
  /** For the types with `repeat` cells: the command that repeats what each history did. */
  readonly repeats: Readonly<Partial<Record<Command["type"], Command>>>;
  /** The event types an allowed command of each type emits. */
  readonly emits: Readonly<Record<Command["type"], ReadonlyArray<Event["type"]>>>;
  readonly statusOf: (state: State) => string;
}

/**
 * One given/when/then test per cell of a transition table: given the history of its state, when
 * its command, then the events the table promises (and the state it names) or its refusal code.
 * A `repeat` cell is two tests: the repeated command is a no-op, another is refused.
 */
export const transitionTests = <
  Command extends Typed,
  Event extends Typed,
  State,
  Err extends DomainError,
>(
  decider: Decider<Command, Event, State, Err>,
  table: TransitionTable<string, Command["type"], string, Err["code"]>,
  cases: TransitionCases<Command, Event, State>,
): void => {
  for (const [status, row] of Object.entries(table)) {
    const history = cases.histories[status];
    if (history === undefined) throw new Error(`no history reaches ${status}`);
    it(`the history reaches ${status}`, () => {
      expect(cases.statusOf(given(decider, ...history).state())).toBe(status);
    });
    for (const command of cases.commands) {
      const type = command.type as Command["type"];
      const cell = row[type];
      const when = () => given(decider, ...history).when(command);
      switch (cell.kind) {
        case "go":
          it(`${status} + ${type} -> ${cell.to}`, () => {
            const outcome = decider.decide(command, given(decider, ...history).state());
            if (outcome._tag === "Left") throw new Error(`refused: ${outcome.left.code}`);
            expect(outcome.right.map((e) => e.type)).toEqual(cases.emits[type]);
            const after = outcome.right.reduce(decider.evolve, given(decider, ...history).state());
            expect(cases.statusOf(after)).toBe(cell.to);
          });
          break;
        case "stay":
          it(`${status} + ${type}: no-op`, () => {
            when().thenEvents();
          });
          break;
        case "refuse":
          it(`${status} + ${type}: refused ${cell.code}`, () => {
            when().thenRejects(cell.code);
          });
          break;
        case "repeat": {
          const again = cases.repeats[type];
          if (again === undefined) throw new Error(`no repeated ${type} for ${status}`);
          it(`${status} + ${type} repeated: no-op`, () => {
            given(decider, ...history)
              .when(again)
              .thenEvents();
          });
          it(`${status} + ${type} asking for another: refused ${cell.code}`, () => {
            when().thenRejects(cell.code);
          });
          break;
        }
      }
    }
  }
};

/** That a table has a row for every state and, in each, a cell for every command type. */
export const coversEverything = (
  table: TransitionTable<string, string, string, string>,
  states: ReadonlyArray<string>,
  commandTypes: ReadonlyArray<string>,
): void => {
  expect(Object.keys(table).sort()).toEqual([...states].sort());
  for (const row of Object.values(table)) {
    expect(Object.keys(row).sort()).toEqual([...commandTypes].sort());
  }
};
