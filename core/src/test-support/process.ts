import type { ProcessCommand, ProcessManager, Reaction } from "../processes/process-manager.js";
import type { DomainRecordedEvent } from "../projections/projection.js";
import {
  assertSameJson,
  type EventInput,
  type Plain,
  recordEvents,
} from "../testing/projection.js";

/** Feeds events to a process manager one by one, as a runner would. */
export const runProcess = <State>(
  manager: ProcessManager<State>,
  state: State,
  events: ReadonlyArray<DomainRecordedEvent>,
): Reaction<State> =>
  events.reduce<Reaction<State>>(
    (acc, event) => {
      const reaction = manager.react(acc.state, event);
      return { state: reaction.state, commands: [...acc.commands, ...reaction.commands] };
    },
    { state, commands: [] },
  );

/** The `index`-th event of the history, delivered again exactly as it was the first time. */
export interface Redelivery {
  readonly redelivered: number;
}
export const redelivered = (index: number): Redelivery => ({ redelivered: index });

const isRedelivery = (item: EventInput | Redelivery): item is Redelivery => "redelivered" in item;
const isInput = (item: EventInput | Redelivery): item is EventInput => !isRedelivery(item);

/**
 * Given what a process manager has seen, when more events come, then these commands: only the
 * commands the `when` events cause, so a test states what one event does in a situation.
 */
export const givenProcess = <State>(
  manager: ProcessManager<State>,
  ...history: ReadonlyArray<EventInput>
) => ({
  when: (...items: ReadonlyArray<EventInput | Redelivery>) => {
    const recorded = recordEvents([...history, ...items.filter(isInput)]);
    const past = recorded.slice(0, history.length);
    let next = history.length;
    const events = items.map((item) => {
      const event = isRedelivery(item) ? past[item.redelivered] : recorded[next++];
      if (event === undefined) throw new Error("redelivered() names an event the history lacks");
      return event;
    });
    const before = runProcess(manager, manager.initialState, past).state;
    const reaction = runProcess(manager, before, events);
    return {
      ...reaction,
      thenCommands: (...expected: ReadonlyArray<Plain<ProcessCommand>>): Reaction<State> => {
        assertSameJson(reaction.commands, expected, `${manager.name} commands`);
        return reaction;
      },
    };
  },
});
