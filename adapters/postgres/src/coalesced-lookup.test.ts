import { describe, expect, it } from "vitest";
import { coalescedLookup } from "./coalesced-lookup.js";

/** A store of values whose reads are held until released, so rounds can be watched. */
const heldReads = () => {
  const values = new Map<string, number>();
  const rounds: string[][] = [];
  const releases: Array<(outcome?: Error) => void> = [];
  const readMany = (keys: ReadonlyArray<string>) =>
    new Promise<ReadonlyMap<string, number>>((resolve, reject) => {
      rounds.push([...keys]);
      // The values as they are when the round is read, not when it was asked for.
      releases.push((error) => {
        if (error !== undefined) reject(error);
        else
          resolve(
            new Map(keys.flatMap((k) => (values.has(k) ? [[k, values.get(k) as number]] : []))),
          );
      });
    });
  const release = async (error?: Error) => {
    releases.shift()?.(error);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { values, rounds, readMany, release };
};

describe("coalescedLookup", () => {
  it("sends a lone lookup at once, and answers undefined for a key not found", async () => {
    const reads = heldReads();
    reads.values.set("a", 1);
    const lookup = coalescedLookup(reads.readMany);
    const a = lookup("a");
    const missing = lookup("zz");
    expect(reads.rounds).toEqual([["a"]]);
    await reads.release();
    await reads.release();
    expect(await a).toBe(1);
    expect(await missing).toBeUndefined();
  });

  it("sends the lookups that came while a round was out together, each key once", async () => {
    const reads = heldReads();
    reads.values.set("a", 1).set("b", 2);
    const lookup = coalescedLookup(reads.readMany);
    const first = lookup("a");
    const waiting = [lookup("b"), lookup("a"), lookup("b")];
    expect(reads.rounds).toEqual([["a"]]);
    await reads.release();
    expect(reads.rounds).toEqual([["a"], ["b", "a"]]);
    await reads.release();
    expect([await first, ...(await Promise.all(waiting))]).toEqual([1, 2, 1, 2]);
  });

  it("never joins a round already sent: a change made before the call is seen", async () => {
    const reads = heldReads();
    reads.values.set("a", 1);
    const lookup = coalescedLookup(reads.readMany);
    const before = lookup("a");
    reads.values.set("a", 2);
    const after = lookup("a");
    await reads.release();
    await reads.release();
    expect(await after).toBe(2);
    expect(await before).toBe(2);
    expect(reads.rounds).toEqual([["a"], ["a"]]);
  });

  it("fails only the lookups of a round that failed; the next round goes out", async () => {
    const reads = heldReads();
    reads.values.set("a", 1).set("b", 2);
    const lookup = coalescedLookup(reads.readMany);
    const failing = expect(lookup("a")).rejects.toThrow("connection lost");
    const next = lookup("b");
    await reads.release(new Error("connection lost"));
    await failing;
    await reads.release();
    expect(await next).toBe(2);
  });

  it("puts at most maxKeys keys in a round", async () => {
    const reads = heldReads();
    const lookup = coalescedLookup(reads.readMany, { maxKeys: 2 });
    const all = ["a", "b", "c", "d", "e"].map(lookup);
    for (let i = 0; i < 3; i += 1) await reads.release();
    await Promise.all(all);
    expect(reads.rounds).toEqual([["a"], ["b", "c"], ["d", "e"]]);
  });
});
