import type { SchemaNames } from "./schema-name.js";

/** Accounts of the embedded issuer and their refresh tokens (only hashes of them). */
export const schemaV5 = ({ quoted: s }: SchemaNames): ReadonlyArray<string> => [
  `CREATE TABLE ${s}.accounts (
    id text COLLATE "C" PRIMARY KEY,
    email text COLLATE "C" NOT NULL UNIQUE,
    name text NOT NULL,
    roles text[] NOT NULL,
    password_hash text NOT NULL,
    disabled boolean NOT NULL DEFAULT false,
    courier_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE ${s}.refresh_tokens (
    hash text COLLATE "C" PRIMARY KEY,
    family text COLLATE "C" NOT NULL,
    account_id text COLLATE "C" NOT NULL REFERENCES ${s}.accounts (id),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    revoked boolean NOT NULL DEFAULT false
  )`,
  `CREATE INDEX refresh_tokens_family ON ${s}.refresh_tokens (family)`,
  `CREATE INDEX refresh_tokens_account ON ${s}.refresh_tokens (account_id)`,
];
