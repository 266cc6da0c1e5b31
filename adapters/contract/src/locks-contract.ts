import type { Locks } from "@mebel/core";
import { expect, it } from "vitest";
import { describeContract, type Setup, uniqueName } from "./fixtures.js";

export const describeLocksContract = (
  name: string,
  setup: Setup<{ readonly locks: Locks }>,
): void => {
  describeContract(`${name}: Locks contract`, setup, (fixture) => {
    const locks = (): Locks => fixture().locks;

    it("grants a free lock and refuses it while held", async () => {
      const name = uniqueName("projection");
      const release = await locks().tryAcquire(name);
      expect(release).toBeTypeOf("function");
      expect(await locks().tryAcquire(name)).toBeUndefined();
      await release?.();
    });

    it("keeps locks of different names independent", async () => {
      const [a, b] = [uniqueName("a"), uniqueName("b")];
      const releaseA = await locks().tryAcquire(a);
      const releaseB = await locks().tryAcquire(b);
      expect(releaseA).toBeDefined();
      expect(releaseB).toBeDefined();
      await releaseA?.();
      await releaseB?.();
    });

    it("grants a released lock again", async () => {
      const name = uniqueName("again");
      const first = await locks().tryAcquire(name);
      await first?.();
      const second = await locks().tryAcquire(name);
      expect(second).toBeDefined();
      await second?.();
    });

    it("grants exactly one of several concurrent attempts", async () => {
      const name = uniqueName("race");
      const attempts = await Promise.all(Array.from({ length: 6 }, () => locks().tryAcquire(name)));
      const granted = attempts.filter((release) => release !== undefined);
      expect(granted).toHaveLength(1);
      await granted[0]?.();
    });

    it("ignores a second release once someone else holds the lock", async () => {
      const name = uniqueName("stale");
      const first = await locks().tryAcquire(name);
      await first?.();
      const second = await locks().tryAcquire(name);
      expect(second).toBeDefined();
      await first?.();
      expect(await locks().tryAcquire(name)).toBeUndefined();
      await second?.();
    });
  });
};
