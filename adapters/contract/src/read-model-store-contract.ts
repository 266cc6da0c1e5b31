import { CheckpointMovedError, type ReadModelStore } from "@mebel/core";
import { expect, it } from "vitest";
import { describeContract, type Setup, uniqueName } from "./fixtures.js";
import { readModelIndexCases } from "./read-model-index-cases.js";

const docs = (entries: Record<string, unknown>): ReadonlyMap<string, unknown> =>
  new Map(Object.entries(entries));

export const describeReadModelStoreContract = (
  name: string,
  setup: Setup<{ readonly store: ReadModelStore }>,
): void => {
  describeContract(`${name}: ReadModelStore contract`, setup, (fixture) => {
    const store = (): ReadModelStore => fixture().store;

    it("has no checkpoint and no documents before the first commit", async () => {
      const projection = uniqueName("empty");
      expect(await store().checkpoint(projection)).toBeUndefined();
      expect(await store().list(projection)).toEqual([]);
      expect((await store().getMany(projection, ["a"])).size).toBe(0);
    });

    it("commits documents and the checkpoint together", async () => {
      const projection = uniqueName("orders");
      await store().commit(projection, docs({ a: { status: "placed" }, b: { n: 2 } }), 3n);
      expect(await store().checkpoint(projection)).toBe(3n);
      const found = await store().getMany(projection, ["a", "b", "missing"]);
      expect([...found]).toEqual([
        ["a", { status: "placed" }],
        ["b", { n: 2 }],
      ]);
    });

    it("replaces documents and deletes them with null", async () => {
      const projection = uniqueName("replace");
      await store().commit(projection, docs({ a: { v: 1 }, b: { v: 1 } }), 1n);
      await store().commit(projection, docs({ a: { v: 2 }, b: null, never: null }), 2n);
      expect(await store().list(projection)).toEqual([{ key: "a", doc: { v: 2 } }]);
      await store().commit(projection, docs({ a: null }), 3n);
      expect(await store().list(projection)).toEqual([]);
      expect(await store().checkpoint(projection)).toBe(3n);
    });

    it("lists documents in code-point order of their keys", async () => {
      const projection = uniqueName("order");
      const keys = ["b", "B", "a", "A", "10", "9", "a-1", "a_1"];
      await store().commit(projection, new Map(keys.map((k) => [k, { k }])), 1n);
      const listed = (await store().list(projection)).map((entry) => entry.key);
      expect(listed).toEqual(["10", "9", "A", "B", "a", "a-1", "a_1", "b"]);
    });

    it("keeps a 128-bit checkpoint, as EventStoreDB's packed commit and prepare make", async () => {
      const projection = uniqueName("packed");
      const packed = (100n << 64n) | 7n;
      await store().commit(projection, docs({ a: { v: 1 } }), packed);
      await store().commit(projection, docs({ a: { v: 2 } }), packed + 1n, packed);
      expect(await store().checkpoint(projection)).toBe(packed + 1n);
    });

    it("tells when each stored checkpoint last moved, carries it through a swap and forgets it with the checkpoint", async () => {
      const live = uniqueName("aged");
      const rebuilt = uniqueName("aged-rebuild");
      expect((await store().checkpointAges()).has(live)).toBe(false);
      await store().commit(rebuilt, docs({ a: { v: 1 } }), 4n);
      const age = (await store().checkpointAges()).get(rebuilt);
      expect(age?.movedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(age?.seconds).toBeGreaterThanOrEqual(0);
      await store().swap(live, rebuilt);
      const ages = await store().checkpointAges();
      expect(ages.get(live)?.movedAt).toBe(age?.movedAt);
      expect(ages.has(rebuilt)).toBe(false);
      await store().reset(live);
      expect((await store().checkpointAges()).has(live)).toBe(false);
    });

    it("moves the checkpoint on a commit without changes", async () => {
      const projection = uniqueName("quiet");
      await store().commit(projection, new Map(), 7n);
      expect(await store().checkpoint(projection)).toBe(7n);
      expect(await store().list(projection)).toEqual([]);
    });

    it("keeps projections apart, and reset drops only one", async () => {
      const [kept, dropped] = [uniqueName("kept"), uniqueName("dropped")];
      await store().commit(kept, docs({ a: { from: "kept" } }), 1n);
      await store().commit(dropped, docs({ a: { from: "dropped" } }), 2n);
      expect([...(await store().getMany(kept, ["a"])).values()]).toEqual([{ from: "kept" }]);
      await store().reset(dropped);
      expect(await store().checkpoint(dropped)).toBeUndefined();
      expect(await store().list(dropped)).toEqual([]);
      expect(await store().checkpoint(kept)).toBe(1n);
      expect(await store().list(kept)).toEqual([{ key: "a", doc: { from: "kept" } }]);
    });

    it("round-trips JSON documents with unicode and nesting", async () => {
      const projection = uniqueName("unicode");
      const doc = {
        title: "Шкаф 🚪 𝔘",
        lines: [{ sku: "ШК-1", qty: 2, price: 1999.5 }],
        flags: [true, false, null],
        controls: "\t\n\u0001",
        empty: {},
      };
      await store().commit(projection, docs({ "ключ 🔑": doc }), 1n);
      expect((await store().getMany(projection, ["ключ 🔑"])).get("ключ 🔑")).toEqual(doc);
    });

    it("changes nothing when a commit cannot be stored", async () => {
      const projection = uniqueName("atomic");
      await store().commit(projection, docs({ a: { v: 1 } }), 1n);
      const unencodable = docs({ a: { v: 2 }, b: { n: 1n } });
      await expect(store().commit(projection, unencodable, 2n)).rejects.toThrow();
      expect(await store().list(projection)).toEqual([{ key: "a", doc: { v: 1 } }]);
      expect(await store().checkpoint(projection)).toBe(1n);
    });

    it("commits a thousand documents at once", async () => {
      const projection = uniqueName("many");
      const many = new Map(Array.from({ length: 1000 }, (_, i) => [`k${i}`, { i }] as const));
      await store().commit(projection, many, 9n);
      expect(await store().list(projection)).toHaveLength(1000);
      expect((await store().getMany(projection, ["k0", "k999"])).get("k999")).toEqual({ i: 999 });
    });

    it("commits against the checkpoint it expects, and writes nothing when it moved", async () => {
      const projection = uniqueName("cas");
      await store().commit(projection, new Map([["a", { v: 1 }]]), 5n, null);
      await store().commit(projection, new Map([["a", { v: 2 }]]), 6n, 5n);
      await expect(
        store().commit(projection, new Map([["a", { v: 3 }]]), 7n, 5n),
      ).rejects.toBeInstanceOf(CheckpointMovedError);
      expect(await store().checkpoint(projection)).toBe(6n);
      expect((await store().getMany(projection, ["a"])).get("a")).toEqual({ v: 2 });
    });

    it("swaps a rebuilt model in whole: documents and checkpoint, the source left empty", async () => {
      const live = uniqueName("live");
      const rebuilt = uniqueName("rebuilt");
      await store().commit(
        live,
        new Map([
          ["old", { v: 1 }],
          ["both", { v: 1 }],
        ]),
        10n,
      );
      await store().commit(
        rebuilt,
        new Map([
          ["new", { v: 2 }],
          ["both", { v: 2 }],
        ]),
        12n,
      );
      await store().swap(live, rebuilt);
      expect(await store().list(live)).toEqual([
        { key: "both", doc: { v: 2 } },
        { key: "new", doc: { v: 2 } },
      ]);
      expect(await store().checkpoint(live)).toBe(12n);
      expect(await store().list(rebuilt)).toEqual([]);
      expect(await store().checkpoint(rebuilt)).toBeUndefined();
    });

    readModelIndexCases(store);
  });
};
