const bigintsAsText = (_key: string, v: unknown): unknown =>
  typeof v === "bigint" ? v.toString() : v;

/**
 * JSON that bigints survive: positions go out as decimal strings, never as lossy numbers. A
 * replacer is called for every value and made an answer's JSON twice as slow, so it is used
 * only for a value plain JSON refuses: a bigint (or a cycle, which it refuses just the same).
 */
export const toJson = (value: unknown): string => {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (error instanceof TypeError) return JSON.stringify(value, bigintsAsText);
    throw error;
  }
};
