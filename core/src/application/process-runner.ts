import * as E from "fp-ts/lib/Either.js";
import type { ReadModelStore } from "../ports/read-model-store.js";
import type { ProcessManager } from "../processes/process-manager.js";
import type { CommandBus } from "./command-bus.js";
import { causedBy } from "./command-context.js";
import { CorruptReadModelError } from "./read-views.js";
import { type RunningSubscriber, type SubscriberDeps, startSubscriber } from "./subscriber.js";

const STATE_KEY = "state";

/**
 * Runs a process manager: for each event, react, then send its commands and wait for them. The
 * manager's state and checkpoint are committed together after the batch; a crash before that
 * re-runs the batch, which the commands' idempotency makes harmless. A command its aggregate
 * refuses is logged and skipped: retrying a refusal would only refuse again.
 */
export const startProcessManager = <State>(
  manager: ProcessManager<State>,
  deps: SubscriberDeps & { readonly readModels: ReadModelStore; readonly bus: CommandBus },
  options: { readonly maxBatch?: number; readonly standbyRetryMs?: number } = {},
): RunningSubscriber => {
  const name = `process.${manager.name}`;
  const loadState = async (): Promise<State> => {
    const raw = (await deps.readModels.getMany(name, [STATE_KEY])).get(STATE_KEY);
    if (raw === undefined) return manager.initialState;
    const decoded = manager.codec.decode(raw);
    if (E.isLeft(decoded)) throw new CorruptReadModelError(`${name}: stored state does not decode`);
    return decoded.right;
  };

  return startSubscriber(
    {
      name,
      categories: manager.categories,
      ...options,
      loadCheckpoint: () => deps.readModels.checkpoint(name),
      handle: async (events, position, expected) => {
        let state: State = await loadState();
        for (const event of events) {
          const reaction = manager.react(state, event);
          state = reaction.state;
          for (const request of reaction.commands) {
            const outcome = await deps.bus.dispatch(request, causedBy(event))();
            if (E.isLeft(outcome)) {
              deps.logger?.warn(
                { process: manager.name, command: request.command.type, error: outcome.left },
                "process manager command refused",
              );
            }
          }
        }
        await deps.readModels.commit(
          name,
          new Map([[STATE_KEY, manager.codec.encode(state)]]),
          position,
          expected,
        );
      },
    },
    deps,
  );
};
