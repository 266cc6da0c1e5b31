import type { IdempotencyStore, RecordedResponse } from "@mebel/core";
import type { SchemaNames } from "./schema-name.js";
import type { SqlQuery } from "./sql-client.js";

interface KeyRow {
  readonly fingerprint: string;
  readonly completed: boolean;
  readonly response: RecordedResponse | null;
}

export const createPostgresIdempotencyStore = (
  client: SqlQuery,
  { quoted: s }: SchemaNames,
): IdempotencyStore => ({
  claim: async (key, fingerprint, leaseMs) => {
    // Claim a new key, or take over one whose holder's lease ran out; either way in one statement,
    // so two requests racing for the key cannot both win.
    const claimed = await client.query(
      `INSERT INTO ${s}.idempotency_keys (key, fingerprint, lease_until)
       VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET lease_until = excluded.lease_until
         WHERE NOT ${s}.idempotency_keys.completed
           AND ${s}.idempotency_keys.lease_until < now()
           AND ${s}.idempotency_keys.fingerprint = excluded.fingerprint
       RETURNING key`,
      [key, fingerprint, leaseMs],
    );
    if (claimed.length > 0) return { kind: "claimed" };
    const [row] = await client.query<KeyRow>(
      `SELECT fingerprint, completed, response FROM ${s}.idempotency_keys WHERE key = $1`,
      [key],
    );
    if (row === undefined) return { kind: "in_progress" };
    if (row.fingerprint !== fingerprint) return { kind: "mismatch" };
    return row.completed && row.response !== null
      ? { kind: "completed", response: row.response }
      : { kind: "in_progress" };
  },
  complete: async (key, response) => {
    await client.query(
      `UPDATE ${s}.idempotency_keys
          SET completed = true, response = $2::text::jsonb, lease_until = NULL
        WHERE key = $1`,
      [key, JSON.stringify(response)],
    );
  },
  abandon: async (key) => {
    await client.query(`DELETE FROM ${s}.idempotency_keys WHERE key = $1 AND NOT completed`, [key]);
  },
});
