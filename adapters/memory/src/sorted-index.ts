import type { IndexEntry, PagePosition, PageQuery } from "@mebel/core";

/** (sort, key) by code units, as PostgreSQL's "C" collation orders them. */
const compare = (a: PagePosition, b: PagePosition): number =>
  a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/** The first place in `list` whose entry is after `at` (or at it, with `inclusive`). */
const search = (list: ReadonlyArray<PagePosition>, at: PagePosition, inclusive: boolean) => {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const order = compare(list[mid] as PagePosition, at);
    if (order < 0 || (order === 0 && !inclusive)) low = mid + 1;
    else high = mid;
  }
  return low;
};

/**
 * The memory store's equivalent of an index: per (index, group) the entries kept sorted, found by
 * binary search, so a page costs a search and a slice however many documents there are.
 */
export const createSortedIndexes = () => {
  const lists = new Map<string, PagePosition[]>();
  const byKey = new Map<string, ReadonlyArray<IndexEntry>>();
  const listName = (index: string, group: string) => `${index}\u0000${group}`;

  const remove = (key: string) => {
    for (const { index, group, sort } of byKey.get(key) ?? []) {
      const list = lists.get(listName(index, group));
      if (list === undefined) continue;
      const at = search(list, { sort, key }, true);
      if (list[at]?.key === key && list[at]?.sort === sort) list.splice(at, 1);
      if (list.length === 0) lists.delete(listName(index, group));
    }
    byKey.delete(key);
  };

  return {
    /** Replaces the key's entries with these (none: the key is in no list). */
    set: (key: string, entries: ReadonlyArray<IndexEntry>) => {
      remove(key);
      if (entries.length === 0) return;
      for (const { index, group, sort } of entries) {
        const name = listName(index, group);
        let list = lists.get(name);
        if (list === undefined) {
          list = [];
          lists.set(name, list);
        }
        const position = { sort, key };
        list.splice(search(list, position, true), 0, position);
      }
      byKey.set(key, entries);
    },
    page: ({ index, group, order, limit, after }: PageQuery): ReadonlyArray<PagePosition> => {
      const list = lists.get(listName(index, group)) ?? [];
      if (order === "asc") {
        const from = after === undefined ? 0 : search(list, after, false);
        return list.slice(from, from + limit);
      }
      const to = after === undefined ? list.length : search(list, after, true);
      return list.slice(Math.max(0, to - limit), to).reverse();
    },
  };
};
export type SortedIndexes = ReturnType<typeof createSortedIndexes>;
