import * as E from "fp-ts/lib/Either.js";
import { PathReporter } from "io-ts/lib/PathReporter.js";
import type { PagePosition, ReadModelStore } from "../ports/read-model-store.js";
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

/** One page of a list, and where the next one starts (`undefined` on the last page). */
export interface ViewPage<View> {
  readonly views: ReadonlyArray<View>;
  readonly next: PagePosition | undefined;
}

export interface PageRequest {
  readonly group: string;
  readonly limit: number;
  readonly after?: PagePosition | undefined;
  readonly order?: "asc" | "desc";
}

/** A page of one group of a projection's index, decoded. */
export const readPage = async <View extends Versioned>(
  projection: Projection<View>,
  readModels: ReadModelStore,
  index: string,
  { group, limit, after, order = "asc" }: PageRequest,
  modelName: string = readModelName(projection),
): Promise<ViewPage<View>> => {
  // One more than asked: whether there is a next page is known without a second query.
  const rows = await readModels.page(modelName, {
    index,
    group,
    order,
    limit: limit + 1,
    ...(after === undefined ? {} : { after }),
  });
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    views: shown.map(({ key, doc }) => readView(projection, key, doc)),
    next:
      rows.length > limit && last !== undefined ? { sort: last.sort, key: last.key } : undefined,
  };
};

const GROUP_PAGE = 500;

/** Every document of one group of an index, a page at a time: for groups bounded by the domain. */
export const readGroup = async <View extends Versioned>(
  projection: Projection<View>,
  readModels: ReadModelStore,
  index: string,
  group: string,
  order: "asc" | "desc" = "asc",
  modelName: string = readModelName(projection),
): Promise<ReadonlyArray<View>> => {
  const views: View[] = [];
  let after: PagePosition | undefined;
  do {
    const page = await readPage(
      projection,
      readModels,
      index,
      { group, limit: GROUP_PAGE, after, order },
      modelName,
    );
    views.push(...page.views);
    after = page.next;
  } while (after !== undefined);
  return views;
};
