/** JSON with object keys sorted, so equal values print equally whatever their key order. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(
    value,
    (_key, v: unknown) =>
      typeof v === "bigint"
        ? `${v}n`
        : v !== null && typeof v === "object" && !Array.isArray(v)
          ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
          : v,
    2,
  ) ?? "undefined";

/** Throws an Error showing both sides when the values differ as JSON. */
export const assertJsonEqual = (actual: unknown, expected: unknown, what: string): void => {
  const a = canonicalJson(actual);
  const e = canonicalJson(expected);
  if (a !== e) throw new Error(`${what}\n--- expected\n${e}\n--- actual\n${a}`);
};
