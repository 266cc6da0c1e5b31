import { type SchemaNames, schemaNames } from "./schema-name.js";
import { schemaV1 } from "./schema-v1.js";
import { schemaV2 } from "./schema-v2.js";
import { schemaV3 } from "./schema-v3.js";
import { schemaV4 } from "./schema-v4.js";
import { schemaV5 } from "./schema-v5.js";
import { schemaV6 } from "./schema-v6.js";
import { schemaV7 } from "./schema-v7.js";
import { schemaV8 } from "./schema-v8.js";
import { schemaV9 } from "./schema-v9.js";
import { schemaV10 } from "./schema-v10.js";
import type { SqlClient } from "./sql-client.js";

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (names: SchemaNames) => ReadonlyArray<string>;
}

/** Append only: a released migration never changes, a new one gets the next version. */
export const MIGRATIONS: ReadonlyArray<Migration> = [
  { version: 1, name: "events, checkpoints, read models", statements: schemaV1 },
  { version: 2, name: "snapshots, idempotency keys, products", statements: schemaV2 },
  { version: 3, name: "group commit of appends", statements: schemaV3 },
  { version: 4, name: "checkpoints of any log's positions", statements: schemaV4 },
  { version: 5, name: "accounts and refresh tokens", statements: schemaV5 },
  { version: 6, name: "64-bit stream revisions", statements: schemaV6 },
  { version: 7, name: "mail outbox and account languages", statements: schemaV7 },
  { version: 8, name: "read model indexes", statements: schemaV8 },
  { version: 9, name: "when checkpoints last moved", statements: schemaV9 },
  { version: 10, name: "mail sent again by staff", statements: schemaV10 },
];

/**
 * Brings the schema up to date and returns the versions it applied. Processes starting at once
 * queue on an advisory lock scoped to the schema, so each migration runs exactly once; the whole
 * run is one transaction, so a crash leaves the schema as it was.
 */
export const migrate = async (
  client: SqlClient,
  schema: string,
): Promise<ReadonlyArray<number>> => {
  const names = schemaNames(schema);
  const s = names.quoted;
  return client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `mebel.migrate.${names.schema}`,
    ]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
    const applied = new Set(rows.map((row) => row.version));
    const pending = MIGRATIONS.filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      for (const statement of migration.statements(names)) await tx.query(statement);
      await tx.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    return pending.map((m) => m.version);
  });
};
