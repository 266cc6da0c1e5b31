import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { EventToAppend, Position, Revision } from "../events/recorded-event.js";
import type { Clock } from "../ports/clock.js";
import { type AppendResult, type EventStore, MAX_APPEND_BYTES } from "../ports/event-store.js";
import type { Ids } from "../ports/ids.js";
import { noObserver, type Observer } from "../ports/observer.js";
import { type DomainError, domainError } from "../shared/domain-error.js";
import type { TypedEvent } from "../shared/event-registry.js";
import type { Aggregate } from "./aggregates.js";
import { type CommandContext, metadataFor } from "./command-context.js";
import { type BatchStep, foldBatch } from "./decide-batch.js";
import { keyedBatches } from "./keyed-queue.js";
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
  readonly revision: Revision;
  readonly position?: Position;
}

export interface HandleOptions {
  /** Decide only if the stream is still at this revision (optimistic locking by the caller). */
  readonly expectedRevision?: Revision;
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
  /** Told of each command (a span, with load, decide and append under it) and each retry. */
  readonly observer?: Observer;
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
  const serialize = deps.serializePerStream ?? true;
  const observer = deps.observer ?? noObserver;

  return <Command, Event extends TypedEvent, State, Err extends DomainError>(
    aggregate: Aggregate<Command, Event, State, Err>,
  ) => {
    type Outcome = E.Either<Err | HandlingError, Handled<Event, State>>;
    const { evolve } = aggregate.decider;
    const decide = (command: Command, state: State, context: CommandContext) => {
      const span = observer.span("decide", context.traceparent);
      const decision = aggregate.decider.decide(command, state);
      span.end(E.isLeft(decision) ? decision.left.code : undefined);
      return decision;
    };
    /** The store's append, as a span of the command. */
    const append = (
      streamName: string,
      context: CommandContext,
      events: ReadonlyArray<Event>,
      revision: bigint,
    ) => appendEncoded(streamName, context, toAppend(context, events), revision);
    const appendEncoded = (
      streamName: string,
      context: CommandContext,
      events: ReadonlyArray<EventToAppend>,
      revision: bigint,
    ) => {
      const span = observer.span("append", context.traceparent, { "mebel.events": events.length });
      return deps.store
        .append(streamName, events, revision === -1n ? "no_stream" : revision)
        .then((appended) => {
          span.end(E.isLeft(appended) ? "WRONG_EXPECTED_REVISION" : undefined);
          return appended;
        });
    };

    const toAppend = (
      context: CommandContext,
      events: ReadonlyArray<Event>,
    ): ReadonlyArray<EventToAppend> => {
      const metadata = metadataFor(context, deps.clock.now());
      // Written in its newest version, and saying so: readers upcast by it for good.
      return events.map((event) => ({
        eventId: deps.ids.next(),
        type: event.type,
        data: aggregate.events.encode(event),
        metadata: { ...metadata, schemaVersion: aggregate.events.versionOf(event.type) },
      }));
    };

    /** The new state once the append is in, cached; the cache may be a store of its own. */
    const settle = (
      streamName: string,
      state: State,
      events: ReadonlyArray<Event>,
      { nextExpectedRevision, position }: AppendResult,
    ): Outcome | Promise<Outcome> => {
      let next = state;
      for (const event of events) next = evolve(next, event);
      const outcome = E.right({
        streamName,
        events,
        state: next,
        revision: nextExpectedRevision,
        position,
      });
      const caching = deps.cache?.set(streamName, { state: next, revision: nextExpectedRevision });
      return isPromise(caching) ? caching.then(() => outcome) : outcome;
    };

    /** Load, decide, append; again on a lost race, as the policy allows. */
    const decideOnStore = async (
      streamName: string,
      command: Command,
      context: CommandContext,
      options: HandleOptions,
    ): Promise<Outcome> => {
      for (let round = 0; ; round += 1) {
        const loading = observer.span("load", context.traceparent);
        const loaded = await loadAggregate(deps.store, aggregate, streamName, deps.cache);
        loading.end(E.isLeft(loaded) ? loaded.left.code : undefined);
        if (E.isLeft(loaded)) return loaded;
        const { state, revision } = loaded.right;
        if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
          return E.left(preconditionFailed(streamName, options.expectedRevision, revision));
        }
        const decision = decide(command, state, context);
        if (E.isLeft(decision)) return decision;
        const events = decision.right;
        if (events.length === 0) return E.right({ streamName, events, state, revision });

        const appended = await append(streamName, context, events, revision);
        if (E.isRight(appended)) return settle(streamName, state, events, appended.right);
        if (options.expectedRevision !== undefined) {
          return E.left(preconditionFailed(streamName, options.expectedRevision, revision));
        }
        if (round + 1 >= policy.maxAttempts) return gaveUp(streamName, policy.maxAttempts);
        observer.retried(streamName);
        await deps.clock.sleep(backoffDelay(policy, round, random()));
      }
    };

    /**
     * Trust the cache, let the store verify: decide on the cached state and append with its
     * revision. If nobody wrote meanwhile that is the whole command, one round trip; if somebody
     * did, the append is refused and the command is decided again on a fresh read. A refusal or a
     * no-op is never answered from the cache alone, since a newer state might decide otherwise.
     *
     * Promise chains rather than async functions: this path runs for nearly every command, and
     * each suspended async frame was a good part of the handler's garbage.
     */
    const fromCache = (
      streamName: string,
      command: Command,
      context: CommandContext,
      options: HandleOptions,
      cached: StateAt<State> | undefined,
    ): Promise<Outcome> => {
      if (cached === undefined) return decideOnStore(streamName, command, context, options);
      const decision = decide(command, cached.state, context);
      if (E.isLeft(decision) || decision.right.length === 0) {
        return decideOnStore(streamName, command, context, options);
      }
      const events = decision.right;
      return append(streamName, context, events, cached.revision).then((appended) => {
        if (E.isRight(appended)) return settle(streamName, cached.state, events, appended.right);
        observer.retried(streamName);
        return decideOnStore(streamName, command, context, options);
      });
    };

    const run = (
      streamName: string,
      command: Command,
      context: CommandContext,
      options: HandleOptions,
    ): Promise<Outcome> => {
      try {
        if (options.expectedRevision !== undefined || deps.cache === undefined) {
          return decideOnStore(streamName, command, context, options);
        }
        const hit = deps.cache.get(streamName) as
          | StateAt<State>
          | undefined
          | Promise<StateAt<State> | undefined>;
        return isPromise(hit)
          ? hit.then((cached) => fromCache(streamName, command, context, options, cached))
          : fromCache(streamName, command, context, options, hit);
      } catch (error) {
        return Promise.reject(error);
      }
    };

    interface Request {
      readonly command: Command;
      readonly context: CommandContext;
      readonly options: HandleOptions;
    }
    type Chunk = { readonly outcomes: ReadonlyArray<Outcome>; readonly taken: number };

    /** The cached state, trusted until an append says otherwise. */
    const cachedState = async (streamName: string) =>
      (await deps.cache?.get(streamName)) as StateAt<State> | undefined;

    const loadVerified = async (streamName: string, context: CommandContext) => {
      const loading = observer.span("load", context.traceparent);
      const loaded = await loadAggregate(deps.store, aggregate, streamName, deps.cache);
      loading.end(E.isLeft(loaded) ? loaded.left.code : undefined);
      return loaded;
    };

    /**
     * Decides as many of the requests as fit one append on one state, then appends all the accepted
     * commands' events at once with the state's revision. As on the single path the cached state is
     * trusted and the append verifies it: a batch that appends nothing (all refused or satisfied) is
     * decided again on a fresh read before it is answered. A lost race re-decides the whole batch
     * on the newer state, as the single path would each command.
     */
    const decideChunk = async (
      streamName: string,
      requests: ReadonlyArray<Request>,
    ): Promise<Chunk> => {
      const first = (requests[0] as Request).context;
      let base = await cachedState(streamName);
      let verified = false;
      for (let conflicts = 0; ; ) {
        if (base === undefined) {
          const loaded = await loadVerified(streamName, first);
          if (E.isLeft(loaded))
            return { outcomes: requests.map(() => loaded), taken: requests.length };
          base = loaded.right;
          verified = true;
        }
        const encoded: Array<ReadonlyArray<EventToAppend>> = [];
        let bytes = 0;
        const folded = foldBatch(
          (request: Request, state: State) => decide(request.command, state, request.context),
          evolve,
          base,
          requests,
          (events, index) => {
            const batch = toAppend((requests[index] as Request).context, events);
            encoded[index] = batch;
            bytes += weigh(batch);
            return bytes <= MAX_APPEND_BYTES;
          },
        );
        const taken = folded.steps.length;
        const events = encoded.slice(0, taken).flat();
        if (events.length === 0) {
          if (verified) return answer(streamName, folded.steps);
          base = undefined;
          continue;
        }
        const appended = await appendEncoded(streamName, first, events, base.revision);
        if (E.isRight(appended)) return settleChunk(streamName, folded, appended.right);
        observer.retried(streamName);
        if (verified) {
          conflicts += 1;
          if (conflicts >= policy.maxAttempts) {
            const given = gaveUp(streamName, policy.maxAttempts);
            return { outcomes: requests.slice(0, taken).map(() => given), taken };
          }
          await deps.clock.sleep(backoffDelay(policy, conflicts - 1, random()));
        }
        base = undefined;
      }
    };

    const answer = (
      streamName: string,
      steps: ReadonlyArray<E.Either<Err, BatchStep<Event, State>>>,
      position?: Position,
    ): Chunk => ({
      outcomes: steps.map((step) =>
        E.isLeft(step)
          ? step
          : E.right({
              streamName,
              ...step.right,
              ...(position !== undefined && step.right.events.length > 0 ? { position } : {}),
            }),
      ),
      taken: steps.length,
    });

    const settleChunk = async (
      streamName: string,
      folded: { readonly steps: ReadonlyArray<E.Either<Err, BatchStep<Event, State>>> } & {
        readonly end: StateAt<State>;
      },
      { nextExpectedRevision, position }: AppendResult,
    ): Promise<Chunk> => {
      await deps.cache?.set(streamName, {
        state: folded.end.state,
        revision: nextExpectedRevision,
      });
      return answer(streamName, folded.steps, position);
    };

    const decideBatch = async (
      streamName: string,
      requests: ReadonlyArray<Request>,
    ): Promise<ReadonlyArray<Outcome>> => {
      if (requests.length === 1) {
        const { command, context, options } = requests[0] as Request;
        return [await run(streamName, command, context, options)];
      }
      const outcomes: Outcome[] = [];
      for (let rest = requests; rest.length > 0; ) {
        const chunk = await decideChunk(streamName, rest);
        outcomes.push(...chunk.outcomes);
        rest = rest.slice(chunk.taken);
      }
      return outcomes;
    };
    const queue = keyedBatches(decideBatch, takeBatch);

    return (command: Command, given: CommandContext, options: HandleOptions = noOptions) =>
      (): Promise<Outcome> => {
        const streamName = aggregate.streamOf(command);
        const handle = (context: CommandContext) =>
          serialize
            ? queue(streamName, { command, context, options })
            : run(streamName, command, context, options);
        // Unwatched, the command pays nothing more than before.
        if (observer === noObserver) return handle(given);
        const span = observer.span(`${aggregate.name}.${commandType(command)}`, given.traceparent);
        return handle(
          span.traceparent === undefined || span.traceparent === given.traceparent
            ? given
            : { ...given, traceparent: span.traceparent },
        ).then(
          (result) => {
            span.end(E.isLeft(result) ? result.left.code : undefined);
            return result;
          },
          (error: unknown) => {
            span.end("ERROR");
            throw error;
          },
        );
      };
  };
};

const noOptions: HandleOptions = Object.freeze({});

/** At most this many commands are decided for one append. */
export const MAX_BATCH = 64;

/**
 * The leading waiting commands, up to MAX_BATCH, that name no revision: a command with If-Match
 * is decided alone, so that its precondition is checked against the stream exactly as it stands.
 */
const takeBatch = (waiting: ReadonlyArray<{ readonly options: HandleOptions }>): number => {
  let count = 0;
  while (count < waiting.length && count < MAX_BATCH) {
    if (
      (waiting[count] as { readonly options: HandleOptions }).options.expectedRevision !== undefined
    ) {
      return Math.max(1, count);
    }
    count += 1;
  }
  return count;
};

/**
 * An upper bound of the bytes adapters count (data and metadata as JSON in UTF-8): a UTF-16 code
 * unit is never more than three bytes, so a batch under the limit by this measure is under it.
 */
const weigh = (events: ReadonlyArray<EventToAppend>): number =>
  events.reduce(
    (sum, event) =>
      sum + 3 * (JSON.stringify(event.data).length + JSON.stringify(event.metadata).length),
    0,
  );

const gaveUp = (streamName: string, attempts: number): E.Either<HandlingError, never> =>
  E.left(
    domainError(
      "CONCURRENCY_CONFLICT",
      `Stream ${streamName} kept changing; gave up after ${attempts} attempts.`,
      { streamName },
    ),
  );

const commandType = (command: unknown): string =>
  String((command as { readonly type?: unknown } | null)?.type ?? "command");

const isPromise = <A>(value: A | Promise<A>): value is Promise<A> =>
  typeof (value as { readonly then?: unknown } | undefined)?.then === "function";

/** Its details go out as JSON, so the revisions in them are decimal strings. */
const preconditionFailed = (
  streamName: string,
  expected: Revision,
  actual: Revision,
): HandlingError =>
  domainError(
    "PRECONDITION_FAILED",
    `Stream ${streamName} is at revision ${actual}, not ${expected} as the request expected.`,
    { streamName, expected: expected.toString(), actual: actual.toString() },
  );
