import {
  type CheckpointAge,
  CheckpointMovedError,
  type Position,
  type ReadModelStore,
} from "@mebel/core";
import { createSortedIndexes, type SortedIndexes } from "./sorted-index.js";

interface Model {
  checkpoint: Position | undefined;
  /** When `checkpoint` last changed, by the store's clock (ms). */
  movedAt: number;
  /** Documents kept as JSON text, as a database would: what comes back must survive decoding. */
  docs: Map<string, string>;
  indexes: SortedIndexes;
}

const emptyModel = (): Model => ({
  checkpoint: undefined,
  movedAt: 0,
  docs: new Map(),
  indexes: createSortedIndexes(),
});

/** `now` is the store's own clock: what checkpoint ages are told by. */
export const createMemoryReadModelStore = (now: () => Date = () => new Date()): ReadModelStore => {
  const models = new Map<string, Model>();
  const model = (name: string): Model => {
    let found = models.get(name);
    if (found === undefined) {
      found = emptyModel();
      models.set(name, found);
    }
    return found;
  };

  return {
    checkpoint: async (projection) => models.get(projection)?.checkpoint,
    checkpointAges: async () => {
      const at = now().getTime();
      const ages = new Map<string, CheckpointAge>();
      for (const [name, m] of models) {
        if (m.checkpoint === undefined) continue;
        ages.set(name, {
          movedAt: new Date(m.movedAt).toISOString(),
          seconds: Math.max(0, at - m.movedAt) / 1000,
        });
      }
      return ages;
    },
    getMany: async (projection, keys) => {
      const docs = models.get(projection)?.docs;
      const found = new Map<string, unknown>();
      for (const key of keys) {
        const json = docs?.get(key);
        if (json !== undefined) found.set(key, JSON.parse(json));
      }
      return found;
    },
    list: async (projection) =>
      [...(models.get(projection)?.docs ?? new Map<string, string>())]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, json]) => ({ key, doc: JSON.parse(json) as unknown })),
    commit: async (projection, changes, position, expected, index) => {
      const target = model(projection);
      if (expected !== undefined && (target.checkpoint ?? null) !== expected) {
        throw new CheckpointMovedError(`${projection} is no longer at ${expected ?? "the start"}.`);
      }
      // Serialise first, so a document that is not JSON fails the commit before anything changes.
      const encoded = [...changes].map(
        ([key, doc]) => [key, doc === null ? null : JSON.stringify(doc)] as const,
      );
      for (const [key, json] of encoded) {
        if (json === null) target.docs.delete(key);
        else target.docs.set(key, json);
        // A deleted document leaves every list; a written one changes lists only when told how.
        if (json === null) target.indexes.set(key, []);
        else if (index !== undefined) target.indexes.set(key, index.get(key) ?? []);
      }
      if (target.checkpoint !== position) target.movedAt = now().getTime();
      target.checkpoint = position;
    },
    page: async (projection, query) => {
      const found = models.get(projection);
      if (found === undefined) return [];
      return found.indexes.page(query).flatMap(({ sort, key }) => {
        const json = found.docs.get(key);
        return json === undefined ? [] : [{ key, sort, doc: JSON.parse(json) as unknown }];
      });
    },
    reset: async (projection) => {
      models.delete(projection);
    },
    swap: async (target, source) => {
      models.set(target, models.get(source) ?? emptyModel());
      models.delete(source);
    },
  };
};
