import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Bound, cloneJson, jsonBytes, jsonCopy } from "./json-copy.js";

/** What a store that keeps JSON text hands back, or the error it throws. */
const throughText = (value: unknown): { value: unknown } | { error: string } => {
  try {
    const text = JSON.stringify(value) as string | undefined;
    return text === undefined ? { error: "TypeError" } : { value: JSON.parse(text) };
  } catch (error) {
    return { error: (error as Error).name };
  }
};

const copied = (value: unknown): { value: unknown; bound: number } | { error: string } => {
  const bound: Bound = { bytes: 0 };
  try {
    return { value: jsonCopy(value, bound), bound: bound.bytes };
  } catch (error) {
    return { error: (error as Error).name };
  }
};

describe("jsonCopy", () => {
  it("gives what a JSON round trip gives, for any value, with a bound on its size", () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withBoxedValues: true,
          withDate: true,
          withMap: true,
          withNullPrototype: true,
          withObjectString: true,
          withSet: true,
          withSparseArray: true,
          withTypedArray: true,
          withUnicodeString: true,
        }),
        (value) => {
          const expected = throughText(value);
          const actual = copied(value);
          if ("error" in expected) {
            expect(actual).toEqual(expected);
            return;
          }
          expect("value" in actual && actual.value).toStrictEqual(expected.value);
          expect("bound" in actual && actual.bound).toBeGreaterThanOrEqual(jsonBytes(value));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("shares no object with the original", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const before = JSON.stringify(value);
        const copy = jsonCopy(value, { bytes: 0 });
        const clone = cloneJson(copy);
        expect(clone).toStrictEqual(copy);
        scribble(clone);
        expect(JSON.stringify(copy)).toBe(before);
        scribble(copy);
        expect(JSON.stringify(value)).toBe(before);
      }),
    );
  });

  it("keeps a __proto__ key as data, as JSON.parse does", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
    const copy = jsonCopy(value, { bytes: 0 }) as Record<string, unknown>;
    for (const read of [copy, cloneJson(copy) as Record<string, unknown>]) {
      expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
      expect(Object.keys(read)).toEqual(["__proto__", "a"]);
      expect(JSON.stringify(read)).toBe('{"__proto__":{"polluted":true},"a":1}');
    }
  });

  it("lets toJSON speak for an object or an array, as JSON.stringify does", () => {
    const list = Object.assign([1, 2], { toJSON: () => "a list" });
    const when = { at: new Date("2026-01-02T03:04:05.000Z"), own: { toJSON: () => 7 } };
    expect(jsonCopy({ list, when }, { bytes: 0 })).toStrictEqual({
      list: "a list",
      when: { at: "2026-01-02T03:04:05.000Z", own: 7 },
    });
  });

  it("refuses a cycle as JSON.stringify does", () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(() => jsonCopy(cycle, { bytes: 0 })).toThrow(TypeError);
  });
});

/** Changes every object and array inside `value`, so sharing would show. */
const scribble = (value: unknown): void => {
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) scribble(item);
    value.push("scribbled");
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) scribble(record[key]);
  record.scribbled = true;
};
