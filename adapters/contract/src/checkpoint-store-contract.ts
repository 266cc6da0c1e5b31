import type { CheckpointStore } from "@mebel/core";
import { expect, it } from "vitest";
import { describeContract, type Setup, uniqueName } from "./fixtures.js";

export const describeCheckpointStoreContract = (
  name: string,
  setup: Setup<{ readonly store: CheckpointStore }>,
): void => {
  describeContract(`${name}: CheckpointStore contract`, setup, (fixture) => {
    const store = (): CheckpointStore => fixture().store;

    it("loads a checkpoint never saved as undefined", async () => {
      expect(await store().load(uniqueName("never"))).toBeUndefined();
    });

    it("saves a position and replaces it with a later save", async () => {
      const name = uniqueName("subscriber");
      await store().save(name, 5n);
      expect(await store().load(name)).toBe(5n);
      await store().save(name, 42n);
      expect(await store().load(name)).toBe(42n);
    });

    it("keeps positions beyond 2^53 exactly", async () => {
      const name = uniqueName("far");
      const far = 2n ** 63n - 1n;
      await store().save(name, far);
      expect(await store().load(name)).toBe(far);
    });

    it("keeps a 128-bit position, as EventStoreDB's packed commit and prepare make", async () => {
      const name = uniqueName("packed");
      const packed = ((2n ** 64n - 1n) << 64n) | 12_345n;
      await store().save(name, packed);
      expect(await store().load(name)).toBe(packed);
    });

    it("keeps names apart, unicode ones included", async () => {
      const [a, b] = [uniqueName("доставка 🚚"), uniqueName("склад")];
      await store().save(a, 1n);
      await store().save(b, 2n);
      expect([await store().load(a), await store().load(b)]).toEqual([1n, 2n]);
    });
  });
};
