/**
 * Copies of JSON values, as a database would hand them back: what `JSON.parse(JSON.stringify(v))`
 * gives, without the text. The common case (plain objects and arrays of strings, finite numbers,
 * booleans and null) is copied directly; anything JSON would change (toJSON, undefined, NaN, -0,
 * class instances, holes, cycles) goes through the text, so the result is the same either way.
 */

/** Beyond this nesting the text path decides (and names a cycle for what it is). */
const MAX_DEPTH = 64;
/** Past the plain fast path; never stored. */
const NOT_PLAIN = Symbol("not plain");

/**
 * An upper bound of the JSON size in bytes of what was copied, counted as it copies: a UTF-16
 * code unit is at most 6 bytes of JSON text (\uXXXX), a number at most 24 characters, and
 * punctuation is counted per value.
 */
export interface Bound {
  bytes: number;
}

const plainCopy = (value: unknown, depth: number, bound: Bound): unknown => {
  switch (typeof value) {
    case "string":
      bound.bytes += 6 * value.length + 3;
      return value;
    case "boolean":
      bound.bytes += 6;
      return value;
    case "number":
      if (!Number.isFinite(value) || Object.is(value, -0)) return NOT_PLAIN;
      bound.bytes += 25;
      return value;
    case "object": {
      if (value === null) {
        bound.bytes += 5;
        return value;
      }
      if (depth >= MAX_DEPTH) return NOT_PLAIN;
      if (typeof (value as { readonly toJSON?: unknown }).toJSON === "function") return NOT_PLAIN;
      const prototype = Object.getPrototypeOf(value);
      if (Array.isArray(value)) {
        if (prototype !== Array.prototype) return NOT_PLAIN;
        const copy = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i += 1) {
          const item = plainCopy(value[i], depth + 1, bound);
          if (item === NOT_PLAIN) return NOT_PLAIN;
          copy[i] = item;
        }
        bound.bytes += 3;
        return copy;
      }
      if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
      const record = value as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      // for-in rather than Object.keys: no array of keys per object.
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        if (key === "__proto__") return NOT_PLAIN;
        const item = plainCopy(record[key], depth + 1, bound);
        if (item === NOT_PLAIN) return NOT_PLAIN;
        copy[key] = item;
        bound.bytes += 6 * key.length + 4;
      }
      bound.bytes += 3;
      return copy;
    }
    default:
      return NOT_PLAIN;
  }
};

/**
 * What a JSON store would keep of `value`, a copy that owes nothing to the original; adds to
 * `bound` at most its JSON size. Throws as JSON.stringify does (cycles, bigints), and a TypeError
 * for what has no JSON form at all (undefined, a function).
 */
export const jsonCopy = (value: unknown, bound: Bound): unknown => {
  const before = bound.bytes;
  const copy = plainCopy(value, 0, bound);
  if (copy !== NOT_PLAIN) return copy;
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) throw new TypeError("A value with no JSON form cannot be stored.");
  bound.bytes = before + Buffer.byteLength(text);
  return JSON.parse(text) as unknown;
};

/** The exact size of a value's JSON text in bytes (only worth it near a limit). */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/** A fresh copy of a value jsonCopy made: every reader gets objects of its own. */
export const cloneJson = (value: unknown): unknown => {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) copy[i] = cloneJson(value[i]);
    return copy;
  }
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const item = cloneJson(record[key]);
    // Only the text path makes such a key; as data it must stay a property, not a prototype.
    if (key === "__proto__") {
      Object.defineProperty(copy, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = item;
    }
  }
  return copy;
};
