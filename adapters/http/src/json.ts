/** JSON that bigints survive: positions go out as decimal strings, never as lossy numbers. */
export const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
