import * as E from "fp-ts/lib/Either.js";
import { PathReporter } from "io-ts/lib/PathReporter.js";
import type { ReadModelStore } from "../ports/read-model-store.js";
import type { Projection, Versioned } from "../projections/projection.js";

/** Where a projection's documents live: the version is part of the name, so a new one starts empty. */
export const readModelName = (projection: {
  readonly name: string;
  readonly version: number;
}): string => `${projection.name}.v${projection.version}`;

export class CorruptReadModelError extends Error {
  override readonly name = "CorruptReadModelError";
}

export const readView = <View extends Versioned>(
  projection: Projection<View>,
  key: string,
  raw: unknown,
): View => {
  const decoded = projection.codec.decode(raw);
  if (E.isLeft(decoded)) {
    throw new CorruptReadModelError(
      `${projection.name}/${key}: ${PathReporter.report(decoded).join("; ")}`,
    );
  }
  return decoded.right;
};

/** Typed reads of a projection's documents, for queries. */
export const readViews = <View extends Versioned>(
  projection: Projection<View>,
  readModels: ReadModelStore,
  modelName: string = readModelName(projection),
) => ({
  get: async (key: string): Promise<View | undefined> => {
    const raw = (await readModels.getMany(modelName, [key])).get(key);
    return raw === undefined ? undefined : readView(projection, key, raw);
  },
  all: async (): Promise<ReadonlyMap<string, View>> =>
    new Map(
      (await readModels.list(modelName)).map(({ key, doc }) => [
        key,
        readView(projection, key, doc),
      ]),
    ),
  checkpoint: () => readModels.checkpoint(modelName),
});
