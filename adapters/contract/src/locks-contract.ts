import type { Locks } from "@mebel/core";
import { expect, it, vi } from "vitest";
import { describeContract, type Setup, uniqueName } from "./fixtures.js";

/** Asks until `done` answers true, for at most `timeoutMs`. */
const eventually = async (what: string, done: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** What an adapter can show of a lock session that drops: most of those that have sessions. */
export interface LockFaults {
  /** Another instance's locks on the same store, as a second process would hold them. */
  readonly other: Locks;
  /** Drops the session on which `locks` holds its locks, as the server or the network would. */
  readonly dropSession: () => Promise<void>;
}

export const describeLocksContract = (
  name: string,
  setup: Setup<{ readonly locks: Locks; readonly faults?: LockFaults }>,
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

    it("does not call onLost for a lock released on purpose", async () => {
      const onLost = vi.fn();
      const release = await locks().tryAcquire(uniqueName("quiet"), onLost);
      await release?.();
      await fixture().faults?.dropSession();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(onLost).not.toHaveBeenCalled();
    });

    const faulty = (): LockFaults => fixture().faults as LockFaults;

    it("tells every holder on a dropped session once, before another instance can take over", async (context) => {
      if (fixture().faults === undefined) context.skip("this adapter cannot drop a lock session");
      const names = [uniqueName("fenced"), uniqueName("fenced")];
      const lost: Array<{ name: string; at: number }> = [];
      const releases = await Promise.all(
        names.map((n) => locks().tryAcquire(n, () => lost.push({ name: n, at: Date.now() }))),
      );
      expect(releases.every((release) => release !== undefined)).toBe(true);
      expect(await faulty().other.tryAcquire(names[0] as string)).toBeUndefined();

      await faulty().dropSession();
      let takenAt = 0;
      let taken: (() => Promise<void>) | undefined;
      await eventually("another instance takes the lock", async () => {
        taken = await faulty().other.tryAcquire(names[0] as string);
        takenAt = Date.now();
        return taken !== undefined;
      });
      expect(lost.map((l) => l.name).sort()).toEqual([...names].sort());
      expect(Math.max(...lost.map((l) => l.at))).toBeLessThanOrEqual(takenAt);
      // The former holder's late release must not free the new holder's lock.
      await releases[0]?.();
      expect(await locks().tryAcquire(names[0] as string)).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(lost).toHaveLength(2);
      await taken?.();
    });

    it("takes later locks on a new session after one dropped", async (context) => {
      if (fixture().faults === undefined) context.skip("this adapter cannot drop a lock session");
      const before = await locks().tryAcquire(uniqueName("before"));
      await faulty().dropSession();
      const name = uniqueName("after");
      let release: (() => Promise<void>) | undefined;
      await eventually("a lock after the drop", async () => {
        release = await locks()
          .tryAcquire(name)
          .catch(() => undefined);
        return release !== undefined;
      });
      expect(await faulty().other.tryAcquire(name)).toBeUndefined();
      await release?.();
      expect(await faulty().other.tryAcquire(name)).toBeDefined();
      await before?.();
    });
  });
};
