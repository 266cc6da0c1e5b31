import type { SchemaNames } from "./schema-name.js";

/**
 * Sending a failed message again: its history (who sent it again, when and why) kept with it, and
 * since when it waits, so a message sent again days after it was decided does not read as the
 * oldest pending for days.
 */
export const schemaV10 = ({ quoted: s }: SchemaNames): ReadonlyArray<string> => [
  `ALTER TABLE ${s}.mail_outbox ADD COLUMN history jsonb NOT NULL DEFAULT '[]'::jsonb`,
  `ALTER TABLE ${s}.mail_outbox ADD COLUMN resent_at timestamptz`,
];
