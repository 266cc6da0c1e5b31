import type { SchemaNames } from "./schema-name.js";

/**
 * The mail outbox: one row per decided e-mail, keyed by the event that caused it, so a batch
 * recorded again after a crash adds nothing. `seq` keeps the order decisions were made in.
 * And the language a customer's mail is written in.
 */
export const schemaV7 = ({ quoted: s }: SchemaNames): ReadonlyArray<string> => [
  `CREATE TABLE ${s}.mail_outbox (
    id text COLLATE "C" PRIMARY KEY,
    seq bigserial NOT NULL UNIQUE,
    recipient text COLLATE "C" NOT NULL,
    message jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    retries integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
  )`,
  `CREATE INDEX mail_outbox_pending ON ${s}.mail_outbox (seq) WHERE status = 'pending'`,
  `CREATE INDEX mail_outbox_recipient_pending ON ${s}.mail_outbox (recipient, seq)
     WHERE status = 'pending'`,
  `ALTER TABLE ${s}.accounts ADD COLUMN language text`,
];
