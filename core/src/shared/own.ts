/**
 * The record's own entry for `key`. Ids are keys of plain records in states, and an id such as
 * `constructor` or `toString` (ids allow them) would otherwise read what every object inherits.
 */
export const own = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;
