import type { Request } from "express";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { awaitView, minPositionOf } from "./read-your-writes.js";

const requestWith = (header?: string, query: Record<string, string> = {}): Request =>
  ({
    get: (name: string) => (name.toLowerCase() === "mebel-min-position" ? header : undefined),
    query,
  }) as unknown as Request;

/** A clock that moves only when the waiter sleeps: the test is exact, never timed. */
const fakeTime = () => {
  let now = 0;
  const sleep = async (ms: number): Promise<void> => {
    now += ms;
  };
  return { now: () => now, sleep, elapsed: () => now };
};

describe("a query's minimum position", () => {
  it("is read from the header or the query, exactly, past 2^53 as well", () => {
    expect(minPositionOf(requestWith())).toEqual(E.right(undefined));
    expect(minPositionOf(requestWith("42"))).toEqual(E.right(42n));
    expect(minPositionOf(requestWith(undefined, { minPosition: "9007199254740993" }))).toEqual(
      E.right(9_007_199_254_740_993n),
    );
    for (const bad of ["-1", "01", "1.5", " 7", "x"]) {
      expect(E.isLeft(minPositionOf(requestWith(bad))), bad).toBe(true);
    }
  });

  it("is waited for until the view reaches it", async () => {
    const time = fakeTime();
    let checkpoint = 10n;
    const view = async () => {
      checkpoint += 1n;
      return checkpoint;
    };
    const waited = await awaitView(requestWith("15"), view, { ...time, maxWaitMs: 1_000 });
    expect(waited).toEqual(E.right(undefined));
    expect(checkpoint).toBe(15n);
  });

  it("gives up at the bound with a 503 saying how far behind the view is", async () => {
    const time = fakeTime();
    const waited = await awaitView(requestWith("20"), async () => 12n, {
      ...time,
      maxWaitMs: 500,
    });
    expect(E.isLeft(waited) && waited.left).toMatchObject({
      status: 503,
      code: "VIEW_BEHIND",
      details: { minPosition: "20", position: "12", behind: "8" },
    });
    expect(time.elapsed()).toBe(500);
  });

  it("costs nothing when none is asked for", async () => {
    let reads = 0;
    const view = async () => {
      reads += 1;
      return 0n;
    };
    expect(await awaitView(requestWith(), view)).toEqual(E.right(undefined));
    expect(reads).toBe(0);
  });
});
