import { CheckpointMovedError, type Position, type ReadModelStore } from "@mebel/core";

interface Model {
  checkpoint: Position | undefined;
  /** Documents kept as JSON text, as a database would: what comes back must survive decoding. */
  docs: Map<string, string>;
}

export const createMemoryReadModelStore = (): ReadModelStore => {
  const models = new Map<string, Model>();
  const model = (name: string): Model => {
    let found = models.get(name);
    if (found === undefined) {
      found = { checkpoint: undefined, docs: new Map() };
      models.set(name, found);
    }
    return found;
  };

  return {
    checkpoint: async (projection) => models.get(projection)?.checkpoint,
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
    commit: async (projection, changes, position, expected) => {
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
      }
      target.checkpoint = position;
    },
    reset: async (projection) => {
      models.delete(projection);
    },
    swap: async (target, source) => {
      models.set(target, models.get(source) ?? { checkpoint: undefined, docs: new Map() });
      models.delete(source);
    },
  };
};
