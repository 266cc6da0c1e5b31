import { describe, expect, it } from "vitest";
import { toJson } from "./json.js";

describe("toJson", () => {
  it("writes bigints as decimal strings, however deep", () => {
    expect(toJson({ at: 12n, list: [{ big: 2n ** 70n }], n: 1 })).toBe(
      '{"at":"12","list":[{"big":"1180591620717411303424"}],"n":1}',
    );
  });

  it("writes everything else as JSON.stringify does", () => {
    const value = { a: [1, "x", null, true], b: { c: undefined, d: new Date(0) } };
    expect(toJson(value)).toBe(JSON.stringify(value));
  });

  it("still refuses a cycle", () => {
    const cycle: { self?: unknown } = {};
    cycle.self = cycle;
    expect(() => toJson(cycle)).toThrow(TypeError);
  });
});
