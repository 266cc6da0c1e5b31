import * as E from "fp-ts/lib/Either.js";
import { noObserver } from "../ports/observer.js";
import type { ReadModelStore } from "../ports/read-model-store.js";
import type { ProcessCommand, ProcessManager } from "../processes/process-manager.js";
import { refusalMeaning } from "../processes/refusals.js";
import type { DomainRecordedEvent } from "../projections/projection.js";
import type { CommandBus } from "./command-bus.js";
import { causedBy } from "./command-context.js";
import { loadParked } from "./parked-events.js";
import { CorruptReadModelError } from "./read-views.js";
import { backoffDelay, type RetryPolicy } from "./retry-policy.js";
import {
  EventHandlingError,
  failedEventOf,
  type ReconnectPolicy,
  type RunningSubscriber,
  type SubscriberDeps,
  startSubscriber,
} from "./subscriber.js";

const STATE_KEY = "state";

/**
 * How often a refusal that contradicts the log is decided again before the manager stops: long
 * enough for a lost race or a store catching up, short enough to be seen soon.
 */
export const contradictionRetry: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 50,
  maxDelayMs: 2_000,
};

export interface ProcessRunnerOptions {
  readonly maxBatch?: number;
  readonly standbyRetryMs?: number;
  readonly reconnect?: ReconnectPolicy;
  readonly contradictionRetry?: RetryPolicy;
}

/**
 * Runs a process manager: for each event, react, then send its commands and wait for them. The
 * manager's state and checkpoint are committed together after the batch; a crash before that
 * re-runs the batch, which the commands' idempotency makes harmless.
 *
 * A refusal is read for what it means (`refusalMeaning`): one that says the work is already done
 * is a no-op; one that contradicts the event just handled is decided again a few times, and if it
 * persists the manager stops, `failed`, naming the event, rather than drop the work silently.
 */
export const startProcessManager = <State>(
  manager: ProcessManager<State>,
  deps: SubscriberDeps & { readonly readModels: ReadModelStore; readonly bus: CommandBus },
  options: ProcessRunnerOptions = {},
): RunningSubscriber => {
  const name = `process.${manager.name}`;
  const { contradictionRetry: policy = contradictionRetry, ...subscriberOptions } = options;
  const observer = deps.observer ?? noObserver;

  /** Sends one command until it is accepted or its refusal means the work is done. */
  const send = async (
    request: ProcessCommand,
    event: DomainRecordedEvent,
    traceparent: string | undefined,
  ): Promise<void> => {
    const context = causedBy(event, manager.name);
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await deps.bus.dispatch(
        request,
        traceparent === undefined ? context : { ...context, traceparent },
      )();
      if (E.isRight(outcome)) return;
      const refusal = outcome.left;
      const meaning = refusalMeaning(request, refusal);
      if (meaning === "done") {
        deps.logger?.info(
          { process: manager.name, command: request.command.type, code: refusal.code },
          "process manager command already done",
        );
        return;
      }
      if (attempt + 1 >= policy.maxAttempts) {
        throw new EventHandlingError(
          `${manager.name}: ${request.command.type} for ${event.event.type} at ${event.streamName}@${event.revision} was refused ${refusal.code} (${refusal.message}), which contradicts the event; gave up after ${policy.maxAttempts} attempts.`,
          failedEventOf(event),
        );
      }
      deps.logger?.warn(
        {
          process: manager.name,
          command: request.command.type,
          code: refusal.code,
          meaning,
          attempt: attempt + 1,
          event: failedEventOf(event),
        },
        "process manager command refused; deciding it again",
      );
      await deps.clock.sleep(backoffDelay(policy, attempt, Math.random()));
    }
  };
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
      ...subscriberOptions,
      loadCheckpoint: () => deps.readModels.checkpoint(name),
      loadParked: () => loadParked(deps.readModels, name),
      handle: async (events, position, expected, fence) => {
        let state: State = await loadState();
        for (const event of events) {
          // Under the trace of the command that wrote the event, even after a restart.
          const span = observer.span(`process ${manager.name}`, event.metadata.traceparent, {
            "mebel.event": event.event.type,
          });
          try {
            const reaction = manager.react(state, event);
            state = reaction.state;
            for (const request of reaction.commands) {
              fence();
              await send(request, event, span.traceparent);
            }
            span.end();
          } catch (error) {
            span.end(error instanceof Error ? error.name : "ERROR");
            throw error;
          }
        }
        fence();
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
