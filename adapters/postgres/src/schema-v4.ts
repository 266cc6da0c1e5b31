import type { SchemaNames } from "./schema-name.js";

/**
 * Checkpoints hold the position of whichever log their subscriber follows, and EventStoreDB's
 * positions (a commit and a prepare position, 64 bits each, packed into one number) do not fit
 * a bigint: with events in EventStoreDB and state here, the first checkpoint failed to store.
 * numeric(39) holds any 128-bit position and compares as numbers, as a bigint did.
 */
export const schemaV4 = ({ quoted: s }: SchemaNames): ReadonlyArray<string> => [
  `ALTER TABLE ${s}.read_model_checkpoints ALTER COLUMN position TYPE numeric(39, 0)`,
  `ALTER TABLE ${s}.checkpoints ALTER COLUMN position TYPE numeric(39, 0)`,
];
