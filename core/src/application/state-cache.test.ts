import { describe, expect, it } from "vitest";
import { lruStateCache } from "./state-cache.js";

describe("LRU state cache", () => {
  it("answers at once, without a promise", () => {
    const cache = lruStateCache();
    cache.set("s", { state: "x", revision: 0n });
    expect(cache.get("s")).toEqual({ state: "x", revision: 0n });
    expect(cache.get("other")).toBeUndefined();
  });

  it("never goes back to an older revision", () => {
    const cache = lruStateCache();
    cache.set("s", { state: "new", revision: 5n });
    cache.set("s", { state: "old", revision: 3n });
    expect(cache.get("s")).toEqual({ state: "new", revision: 5n });
  });

  it("forgets the least recently used stream, counting reads as use", () => {
    const cache = lruStateCache(3);
    for (const name of ["a", "b", "c"]) cache.set(name, { state: name, revision: 0n });
    cache.get("a");
    cache.set("d", { state: "d", revision: 0n });
    expect(["a", "b", "c", "d"].map((name) => cache.get(name) !== undefined)).toEqual([
      true,
      false,
      true,
      true,
    ]);
    // A stream read and then written is the newest, whatever came before.
    cache.get("c");
    cache.set("c", { state: "c", revision: 1n });
    cache.set("e", { state: "e", revision: 0n });
    cache.set("f", { state: "f", revision: 0n });
    expect(["a", "c", "d", "e", "f"].map((name) => cache.get(name) !== undefined)).toEqual([
      false,
      true,
      false,
      true,
      true,
    ]);
  });
});
