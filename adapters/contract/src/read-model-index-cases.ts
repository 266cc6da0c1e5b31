import type { IndexEntry, PageQuery, ReadModelStore } from "@mebel/core";
import * as fc from "fast-check";
import { expect, it } from "vitest";
import { uniqueName } from "./fixtures.js";

const entry = (group: string, sort: string, index = "byGroup"): IndexEntry => ({
  index,
  group,
  sort,
});

/** Keys of a page, and the query for it. */
const keysOf = async (store: ReadModelStore, projection: string, query: PageQuery) =>
  (await store.page(projection, query)).map((row) => row.key);

const query = (group: string, order: "asc" | "desc", limit = 10): PageQuery => ({
  index: "byGroup",
  group,
  order,
  limit,
});

/** Pages of an index, as the stores must answer them: the read side of `commit`'s `index`. */
export const readModelIndexCases = (store: () => ReadModelStore): void => {
  it("pages one group of an index by (sort, key), either way, from a position", async () => {
    const projection = uniqueName("paged");
    const docs = new Map<string, unknown>([
      ["o1", { n: 1 }],
      ["o2", { n: 2 }],
      ["o3", { n: 3 }],
      ["o4", { n: 4 }],
      ["x1", { n: 5 }],
    ]);
    const index = new Map([
      ["o1", [entry("olga", "2026-01-02")]],
      ["o2", [entry("olga", "2026-01-01")]],
      ["o3", [entry("olga", "2026-01-02"), entry("x", "1", "other")]],
      ["o4", [entry("ivan", "2026-01-01")]],
      ["x1", []],
    ]);
    await store().commit(projection, docs, 1n, undefined, index);
    expect(await keysOf(store(), projection, query("olga", "asc"))).toEqual(["o2", "o1", "o3"]);
    expect(await keysOf(store(), projection, query("olga", "desc"))).toEqual(["o3", "o1", "o2"]);
    const [first] = await store().page(projection, query("olga", "asc", 1));
    expect(first).toEqual({ key: "o2", sort: "2026-01-01", doc: { n: 2 } });
    const after = { sort: "2026-01-02", key: "o1" };
    expect(await keysOf(store(), projection, { ...query("olga", "asc"), after })).toEqual(["o3"]);
    expect(await keysOf(store(), projection, { ...query("olga", "desc"), after })).toEqual(["o2"]);
    expect(await keysOf(store(), projection, query("nobody", "asc"))).toEqual([]);
    expect(await keysOf(store(), uniqueName("none"), query("olga", "asc"))).toEqual([]);
  });

  it("moves a document between groups as its entries change, and drops it when deleted", async () => {
    const projection = uniqueName("moved");
    await store().commit(
      projection,
      new Map([
        ["a", { v: 1 }],
        ["b", { v: 1 }],
      ]),
      1n,
      undefined,
      new Map([
        ["a", [entry("open", "1")]],
        ["b", [entry("open", "2")]],
      ]),
    );
    await store().commit(
      projection,
      new Map([["a", { v: 2 }]]),
      2n,
      undefined,
      new Map([["a", [entry("done", "3")]]]),
    );
    expect(await keysOf(store(), projection, query("open", "asc"))).toEqual(["b"]);
    expect(await store().page(projection, query("done", "asc"))).toEqual([
      { key: "a", sort: "3", doc: { v: 2 } },
    ]);
    // Without `index`, entries stay as they were; a deleted document leaves every list.
    await store().commit(projection, new Map([["a", { v: 3 }]]), 3n);
    expect(await keysOf(store(), projection, query("done", "asc"))).toEqual(["a"]);
    await store().commit(projection, new Map([["b", null]]), 4n);
    expect(await keysOf(store(), projection, query("open", "asc"))).toEqual([]);
    // A document written again with the entries it already has keeps them once.
    await store().commit(
      projection,
      new Map([["a", { v: 4 }]]),
      5n,
      undefined,
      new Map([["a", [entry("done", "3")]]]),
    );
    expect(await keysOf(store(), projection, query("done", "asc"))).toEqual(["a"]);
  });

  it("resets and swaps index entries with their documents", async () => {
    const [live, rebuilt] = [uniqueName("live-index"), uniqueName("rebuilt-index")];
    const one = (key: string, group: string) => new Map([[key, [entry(group, "1")]]]);
    await store().commit(live, new Map([["old", {}]]), 1n, undefined, one("old", "g"));
    await store().commit(rebuilt, new Map([["new", {}]]), 2n, undefined, one("new", "g"));
    await store().swap(live, rebuilt);
    expect(await keysOf(store(), live, query("g", "asc"))).toEqual(["new"]);
    expect(await keysOf(store(), rebuilt, query("g", "asc"))).toEqual([]);
    await store().reset(live);
    expect(await keysOf(store(), live, query("g", "asc"))).toEqual([]);
  });

  it("walks a group page by page exactly as one sorted list, either way", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({
            key: fc.stringMatching(/^[a-z]{1,3}$/),
            sort: fc.stringMatching(/^\d{1,2}$/),
          }),
          { selector: (e) => e.key, maxLength: 25 },
        ),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom("asc" as const, "desc" as const),
        async (rows, limit, order) => {
          const projection = uniqueName("walk");
          await store().commit(
            projection,
            new Map(rows.map((r) => [r.key, { sort: r.sort }])),
            1n,
            undefined,
            new Map(rows.map((r) => [r.key, [entry("g", r.sort)]])),
          );
          const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
          const sorted = [...rows]
            .sort((a, b) => byCodeUnits(a.sort, b.sort) || byCodeUnits(a.key, b.key))
            .map((r) => r.key);
          const expected = order === "asc" ? sorted : sorted.reverse();
          const walked: string[] = [];
          let after: { sort: string; key: string } | undefined;
          for (;;) {
            const page = await store().page(projection, {
              ...query("g", order, limit),
              ...(after === undefined ? {} : { after }),
            });
            walked.push(...page.map((row) => row.key));
            const last = page[page.length - 1];
            if (page.length < limit || last === undefined) break;
            after = { sort: last.sort, key: last.key };
          }
          expect(walked).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
  });
};
