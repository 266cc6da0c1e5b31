import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { Position } from "../events/recorded-event.js";
import type { Clock } from "../ports/clock.js";
import type { EventStore, ExpectedRevision } from "../ports/event-store.js";
import type { Ids } from "../ports/ids.js";
import { type DomainError, domainError } from "../shared/domain-error.js";
import type { TypedEvent } from "../shared/event-registry.js";
import type { Aggregate } from "./aggregates.js";
import { type CommandContext, metadataFor } from "./command-context.js";
import { keyedQueue } from "./keyed-queue.js";
import { loadAggregate } from "./load-aggregate.js";
import { backoffDelay, defaultRetryPolicy, type RetryPolicy } from "./retry-policy.js";
import type { StateAt, StateCache } from "./state-cache.js";

/** Failures of handling that are not the aggregate's own rejections. */
export type HandlingError = DomainError<
  /** Lost the optimistic race more times than the retry policy allows. */
  | "CONCURRENCY_CONFLICT"
  /** The caller named the revision it saw (If-Match) and the stream has moved on. */
  | "PRECONDITION_FAILED"
  /** A stored event of the stream does not decode: the stream needs a person. */
  | "CORRUPT_EVENT"
>;

export interface Handled<Event, State> {
  readonly streamName: string;
  /** What this command appended; empty when it was already satisfied. */
  readonly events: ReadonlyArray<Event>;
  readonly state: State;
  /** Revision of the stream's last event after the command (-1: the stream does not exist). */
  readonly revision: number;
  readonly position?: Position;
}

export interface HandleOptions {
  /** Decide only if the stream is still at this revision (optimistic locking by the caller). */
  readonly expectedRevision?: number;
}

export interface CommandHandlerDeps {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly cache?: StateCache;
  readonly retry?: RetryPolicy;
  /** Queue commands per stream inside this process (default true). */
  readonly serializePerStream?: boolean;
  readonly random?: () => number;
}

export type HandleCommand = <Command, Event extends TypedEvent, State, Err extends DomainError>(
  aggregate: Aggregate<Command, Event, State, Err>,
) => (
  command: Command,
  context: CommandContext,
  options?: HandleOptions,
) => TE.TaskEither<Err | HandlingError, Handled<Event, State>>;

/**
 * Load, decide, append with the expected revision; on a lost race, back off and decide again on
 * the newer state. The decision is re-made, never the append replayed, so a retry can end in a
 * rejection (sold out meanwhile) as well as in success.
 */
export const createCommandHandler = (deps: CommandHandlerDeps): HandleCommand => {
  const policy = deps.retry ?? defaultRetryPolicy;
  const random = deps.random ?? Math.random;
  const queue = keyedQueue();
  const serialize = deps.serializePerStream ?? true;

  return <Command, Event extends TypedEvent, State, Err extends DomainError>(
    aggregate: Aggregate<Command, Event, State, Err>,
  ) => {
    type Outcome = E.Either<Err | HandlingError, Handled<Event, State>>;

    /** Appends what was decided on `state` at `revision`; undefined when the race was lost. */
    const append = async (
      streamName: string,
      context: CommandContext,
      state: State,
      revision: number,
      events: ReadonlyArray<Event>,
    ): Promise<Handled<Event, State> | undefined> => {
      const metadata = metadataFor(context, deps.clock.now());
      const expected: ExpectedRevision = revision === -1 ? "no_stream" : revision;
      const appended = await deps.store.append(
        streamName,
        events.map((event) => ({
          eventId: deps.ids.next(),
          type: event.type,
          data: aggregate.events.encode(event),
          metadata,
        })),
        expected,
      );
      if (E.isLeft(appended)) return undefined;
      const { nextExpectedRevision, position } = appended.right;
      const next = events.reduce(aggregate.decider.evolve, state);
      await deps.cache?.set(streamName, { state: next, revision: nextExpectedRevision });
      return { streamName, events, state: next, revision: nextExpectedRevision, position };
    };

    /**
     * Trust the cache, let the store verify: decide on the cached state and append with its
     * revision. If nobody wrote meanwhile that is the whole command, one round trip; if somebody
     * did, the append is refused and the command is decided again on a fresh read. A refusal or a
     * no-op is never answered from the cache alone, since a newer state might decide otherwise.
     */
    const fromCache = async (
      streamName: string,
      command: Command,
      context: CommandContext,
    ): Promise<Handled<Event, State> | undefined> => {
      const cached = (await deps.cache?.get(streamName)) as StateAt<State> | undefined;
      if (cached === undefined) return undefined;
      const decision = aggregate.decider.decide(command, cached.state);
      if (E.isLeft(decision) || decision.right.length === 0) return undefined;
      return append(streamName, context, cached.state, cached.revision, decision.right);
    };

    const run = async (
      command: Command,
      context: CommandContext,
      options: HandleOptions,
    ): Promise<Outcome> => {
      const streamName = aggregate.streamOf(command);
      if (options.expectedRevision === undefined) {
        const fast = await fromCache(streamName, command, context);
        if (fast !== undefined) return E.right(fast);
      }
      for (let round = 0; ; round += 1) {
        const loaded = await loadAggregate(deps.store, aggregate, streamName, deps.cache);
        if (E.isLeft(loaded)) return loaded;
        const { state, revision } = loaded.right;
        if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
          return E.left(preconditionFailed(streamName, options.expectedRevision, revision));
        }
        const decision = aggregate.decider.decide(command, state);
        if (E.isLeft(decision)) return decision;
        const events = decision.right;
        if (events.length === 0) return E.right({ streamName, events, state, revision });

        const handled = await append(streamName, context, state, revision, events);
        if (handled !== undefined) return E.right(handled);
        if (options.expectedRevision !== undefined) {
          return E.left(preconditionFailed(streamName, options.expectedRevision, revision));
        }
        if (round + 1 >= policy.maxAttempts) {
          return E.left(
            domainError(
              "CONCURRENCY_CONFLICT",
              `Stream ${streamName} kept changing; gave up after ${policy.maxAttempts} attempts.`,
              { streamName },
            ),
          );
        }
        await deps.clock.sleep(backoffDelay(policy, round, random()));
      }
    };

    return (command: Command, context: CommandContext, options: HandleOptions = {}) =>
      (): Promise<Outcome> =>
        serialize
          ? queue(aggregate.streamOf(command), () => run(command, context, options))
          : run(command, context, options);
  };
};

const preconditionFailed = (streamName: string, expected: number, actual: number): HandlingError =>
  domainError(
    "PRECONDITION_FAILED",
    `Stream ${streamName} is at revision ${actual}, not ${expected} as the request expected.`,
    { streamName, expected, actual },
  );
