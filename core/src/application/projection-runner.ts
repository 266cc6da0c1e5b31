import type { Position } from "../events/recorded-event.js";
import { noObserver } from "../ports/observer.js";
import type { IndexEntry, ReadModelStore } from "../ports/read-model-store.js";
import { indexEntriesOf, type Projection, type Versioned } from "../projections/projection.js";
import { loadParked } from "./parked-events.js";
import { readModelName, readView } from "./read-views.js";
import {
  type ReconnectPolicy,
  type RunningSubscriber,
  type SubscriberDeps,
  startSubscriber,
} from "./subscriber.js";

export interface ProjectionRunnerOptions<View = unknown> {
  readonly maxBatch?: number;
  readonly standbyRetryMs?: number;
  readonly reconnect?: ReconnectPolicy;
  /** Store under this name instead of the projection's own (a rebuild writes beside the live one). */
  readonly modelName?: string;
  /**
   * Whose parked events to step over, when not the model's own: a rebuild steps over what the
   * operator parked for the live model, or it would stop at the very poison event parked there.
   */
  readonly parkedOf?: string;
  /** Told of every committed change, after the commit: how views are pushed without polling. */
  readonly onCommit?: (changes: ReadonlyMap<string, View | undefined>, position: Position) => void;
}

/**
 * Keeps a read model up to date: per batch, load the touched documents, fold the events in, and
 * commit the changed documents together with the checkpoint. Events arrive at least once; the
 * atomic commit plus the projection's own idempotency make the effect exactly once.
 */
export const startProjection = <View extends Versioned>(
  projection: Projection<View>,
  deps: SubscriberDeps & { readonly readModels: ReadModelStore },
  options: ProjectionRunnerOptions<View> = {},
): RunningSubscriber => {
  const name = options.modelName ?? readModelName(projection);
  const observer = deps.observer ?? noObserver;
  return startSubscriber(
    {
      name,
      categories: projection.categories,
      ...(options.maxBatch === undefined ? {} : { maxBatch: options.maxBatch }),
      ...(options.standbyRetryMs === undefined ? {} : { standbyRetryMs: options.standbyRetryMs }),
      ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
      loadCheckpoint: () => deps.readModels.checkpoint(name),
      loadParked: () => loadParked(deps.readModels, options.parkedOf ?? name),
      handle: async (events, position, expected, fence) => {
        // Each event's keys, asked for once: they are needed to load the documents and to apply.
        const keysOf = events.map((event) => projection.keysOf(event));
        const keys = new Set<string>();
        for (const eventKeys of keysOf) for (const key of eventKeys) keys.add(key);
        const docs = new Map<string, View | undefined>();
        const stored = await deps.readModels.getMany(name, [...keys]);
        for (const [key, raw] of stored) docs.set(key, readView(projection, key, raw));

        const changed = new Set<string>();
        events.forEach((event, index) => {
          const span = observer.span(`project ${name}`, event.metadata.traceparent, {
            "mebel.event": event.event.type,
          });
          for (const key of keysOf[index] ?? []) {
            const before = docs.get(key);
            const after = projection.apply(before, event, key);
            if (after !== before) {
              docs.set(key, after);
              changed.add(key);
            }
          }
          span.end();
        });
        const changes = new Map<string, unknown | null>();
        const { indexes } = projection;
        const entries =
          indexes === undefined ? undefined : new Map<string, ReadonlyArray<IndexEntry>>();
        for (const key of changed) {
          const doc = docs.get(key);
          changes.set(key, doc === undefined ? null : projection.codec.encode(doc));
          if (entries !== undefined && indexes !== undefined && doc !== undefined) {
            entries.set(key, indexEntriesOf(indexes, doc));
          }
        }
        fence();
        await deps.readModels.commit(name, changes, position, expected, entries);
        if (options.onCommit !== undefined && changed.size > 0) {
          options.onCommit(new Map([...changed].map((key) => [key, docs.get(key)])), position);
        }
      },
    },
    deps,
  );
};
