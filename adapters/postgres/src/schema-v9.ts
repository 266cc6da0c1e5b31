import type { SchemaNames } from "./schema-name.js";

/**
 * When each subscriber's checkpoint last moved, by the database's clock: a restarted instance or
 * a standby then tells the same checkpoint age as the leader. A trigger keeps it, so every writer
 * of a checkpoint (read models, the mail outbox, a rebuild's swap) moves it without knowing of it;
 * a checkpoint stored before this migration counts from the migration.
 */
export const schemaV9 = ({ quoted: s }: SchemaNames): ReadonlyArray<string> => [
  `ALTER TABLE ${s}.read_model_checkpoints ADD COLUMN moved_at timestamptz NOT NULL DEFAULT now()`,
  `CREATE FUNCTION ${s}.checkpoint_moved() RETURNS trigger
  LANGUAGE plpgsql AS $body$
  BEGIN
    NEW.moved_at := now();
    RETURN NEW;
  END
  $body$`,
  `CREATE TRIGGER read_model_checkpoint_moved
    BEFORE UPDATE ON ${s}.read_model_checkpoints
    FOR EACH ROW WHEN (OLD.position IS DISTINCT FROM NEW.position)
    EXECUTE FUNCTION ${s}.checkpoint_moved()`,
];
