import type { SchemaNames } from "./schema-name.js";

/** What the services keep beside the events: aggregate snapshots, idempotency keys, the catalog. */
export const schemaV2 = ({ quoted: s }: SchemaNames): ReadonlyArray<string> => [
  `CREATE TABLE ${s}.snapshots (
    stream_name text COLLATE "C" PRIMARY KEY,
    revision integer NOT NULL,
    schema integer NOT NULL,
    state jsonb NOT NULL
  )`,
  `CREATE TABLE ${s}.idempotency_keys (
    key text COLLATE "C" PRIMARY KEY,
    fingerprint text NOT NULL,
    completed boolean NOT NULL DEFAULT false,
    lease_until timestamptz,
    response jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE ${s}.products (
    sku text COLLATE "C" PRIMARY KEY,
    name text NOT NULL,
    price bigint NOT NULL CHECK (price >= 0),
    version integer NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
];
