import * as E from "fp-ts/lib/Either.js";
import {
  describeDecodeError,
  type StoredEvent,
  schemaVersionOf,
} from "../events/recorded-event.js";
import type { EventStore } from "../ports/event-store.js";
import { type DomainError, domainError } from "../shared/domain-error.js";
import type { EventRegistry, TypedEvent } from "../shared/event-registry.js";
import type { StateAt, StateCache } from "./state-cache.js";

export type CorruptEvent = DomainError<"CORRUPT_EVENT">;

/** What folding a stream needs of an aggregate: its start, its evolve, its event codecs. */
export interface Foldable<Event extends TypedEvent, State> {
  readonly decider: {
    readonly initialState: State;
    readonly evolve: (state: State, event: Event) => State;
  };
  readonly events: EventRegistry<Event>;
}

/** Folds stored events onto a known state, decoding each: a malformed one stops the fold. */
export const foldStored = <Event extends TypedEvent, State>(
  aggregate: Foldable<Event, State>,
  base: StateAt<State>,
  stored: ReadonlyArray<StoredEvent>,
): E.Either<CorruptEvent, StateAt<State>> => {
  let { state, revision } = base;
  for (const event of stored) {
    const decoded = aggregate.events.decode(
      event.type,
      event.data,
      schemaVersionOf(event.metadata),
    );
    if (E.isLeft(decoded)) {
      return E.left(
        domainError("CORRUPT_EVENT", describeDecodeError(event, decoded.left), {
          streamName: event.streamName,
          revision: event.revision,
        }),
      );
    }
    state = aggregate.decider.evolve(state, decoded.right);
    revision = event.revision;
  }
  return E.right({ state, revision });
};

/**
 * The current state of one aggregate: from the cache when it has the stream, plus whatever was
 * appended after the cached revision (by this process or any other). A cache that does not hold
 * the stream may fill it from durable storage (a snapshot, and the events after it in the same
 * read); what is folded from there goes back into the cache.
 */
export const loadAggregate = async <Event extends TypedEvent, State>(
  store: EventStore,
  aggregate: Foldable<Event, State>,
  streamName: string,
  cache?: StateCache,
): Promise<E.Either<CorruptEvent, StateAt<State>>> => {
  const initial: StateAt<State> = { state: aggregate.decider.initialState, revision: -1n };
  const cached = (await cache?.get(streamName)) as StateAt<State> | undefined;
  if (cached !== undefined || cache?.fill === undefined) {
    const base = cached ?? initial;
    const newer = await store.readStream(streamName, { fromRevision: base.revision + 1n });
    return foldStored(aggregate, base, newer);
  }
  const filled = await cache.fill(streamName);
  const base = (filled.base as StateAt<State> | undefined) ?? initial;
  const newer =
    filled.newer ?? (await store.readStream(streamName, { fromRevision: base.revision + 1n }));
  const loaded = foldStored(aggregate, base, newer);
  if (E.isRight(loaded) && loaded.right.revision >= 0n) await cache.set(streamName, loaded.right);
  return loaded;
};
