import {
  CheckpointMovedError,
  type KeptMessage,
  MailResend,
  type Outbox,
  OutboxMessage,
  unsafeDecode,
} from "@mebel/core";
import * as t from "io-ts";
import { positionParam } from "./positions.js";
import type { SchemaNames } from "./schema-name.js";
import type { SqlClient } from "./sql-client.js";

interface DueRow {
  readonly message: unknown;
  readonly attempts: number;
}

interface StatsRow {
  readonly depth: string;
  readonly oldest_ms: string | null;
  readonly sent: string;
  readonly retried: string;
  readonly failed: string;
}

interface KeptRow {
  readonly message: unknown;
  readonly status: KeptMessage["status"];
  readonly attempts: number;
  readonly last_error: string | null;
  readonly history: unknown;
}

const History = t.readonlyArray(MailResend);

/**
 * The outbox as rows beside the read models: recording a batch's messages and moving the
 * sender's checkpoint is one transaction, so a crash leaves both or neither.
 */
export const createPostgresOutbox = (client: SqlClient, { quoted: s }: SchemaNames): Outbox => ({
  record: async (subscriber, messages, position, expected) => {
    await client.transaction(async (tx) => {
      const [row] = await tx.query<{ position: string }>(
        `SELECT position::text AS position FROM ${s}.read_model_checkpoints
          WHERE projection = $1 FOR UPDATE`,
        [subscriber],
      );
      const stored = row === undefined ? null : BigInt(row.position);
      if (stored !== expected) {
        throw new CheckpointMovedError(`${subscriber} is no longer at ${expected ?? "the start"}.`);
      }
      if (messages.length > 0) {
        await tx.query(
          `INSERT INTO ${s}.mail_outbox (id, recipient, message)
           SELECT m->>'id', m->'mail'->>'to', m
             FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS e(m, n) ORDER BY n
           ON CONFLICT (id) DO NOTHING`,
          [JSON.stringify(messages.map((m) => OutboxMessage.encode(m)))],
        );
      }
      await tx.query(
        `INSERT INTO ${s}.read_model_checkpoints (projection, position) VALUES ($1, $2::numeric)
         ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
        [subscriber, positionParam(position)],
      );
    });
  },
  due: async (now, limit) => {
    const rows = await client.query<DueRow>(
      `SELECT o.message, o.attempts FROM ${s}.mail_outbox o
        WHERE o.status = 'pending' AND o.next_attempt_at <= $1
          AND NOT EXISTS (
            SELECT 1 FROM ${s}.mail_outbox e
             WHERE e.status = 'pending' AND e.recipient = o.recipient AND e.seq < o.seq)
        ORDER BY o.seq LIMIT $2`,
      [now.toISOString(), limit],
    );
    // Stored rows cross a boundary like any other bytes.
    return rows.map((row) => ({
      ...unsafeDecode(OutboxMessage)(row.message),
      attempts: row.attempts,
    }));
  },
  markSent: async (id, at) => {
    await client.query(
      `UPDATE ${s}.mail_outbox SET status = 'sent', attempts = attempts + 1, finished_at = $2
        WHERE id = $1 AND status = 'pending'`,
      [id, at.toISOString()],
    );
  },
  markRetry: async (id, attempts, nextAttemptAt, error) => {
    await client.query(
      `UPDATE ${s}.mail_outbox
          SET attempts = $2, retries = retries + 1, next_attempt_at = $3, last_error = $4
        WHERE id = $1 AND status = 'pending'`,
      [id, attempts, nextAttemptAt.toISOString(), error],
    );
  },
  markFailed: async (id, attempts, error) => {
    await client.query(
      `UPDATE ${s}.mail_outbox
          SET status = 'failed', attempts = $2, last_error = $3, finished_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [id, attempts, error],
    );
  },
  stats: async (now) => {
    const [row] = await client.query<StatsRow>(
      `SELECT count(*) FILTER (WHERE status = 'pending')::text AS depth,
              (extract(epoch FROM ($1::timestamptz - min(coalesce(resent_at, created_at)) FILTER (WHERE status = 'pending'))) * 1000)::bigint::text AS oldest_ms,
              count(*) FILTER (WHERE status = 'sent')::text AS sent,
              coalesce(sum(retries), 0)::text AS retried,
              count(*) FILTER (WHERE status = 'failed')::text AS failed
         FROM ${s}.mail_outbox`,
      [now.toISOString()],
    );
    return {
      depth: Number(row?.depth ?? 0),
      oldestPendingAgeMs:
        row?.oldest_ms === null || row === undefined ? null : Math.max(0, Number(row.oldest_ms)),
      sent: Number(row?.sent ?? 0),
      retried: Number(row?.retried ?? 0),
      failed: Number(row?.failed ?? 0),
    };
  },
  failures: async (limit) =>
    (
      await client.query<KeptRow>(
        `SELECT message, status, attempts, last_error, history FROM ${s}.mail_outbox
          WHERE status = 'failed' ORDER BY seq DESC LIMIT $1`,
        [limit],
      )
    ).map((row) => {
      const { id, kind, orderId, customerId } = unsafeDecode(OutboxMessage)(row.message);
      return {
        id,
        kind,
        orderId,
        customerId,
        attempts: row.attempts,
        error: row.last_error ?? "",
        resends: unsafeDecode(History)(row.history),
      };
    }),
  find: async (id) => {
    const [row] = await client.query<KeptRow>(
      `SELECT message, status, attempts, last_error, history FROM ${s}.mail_outbox WHERE id = $1`,
      [id],
    );
    return row === undefined
      ? undefined
      : {
          message: unsafeDecode(OutboxMessage)(row.message),
          status: row.status,
          attempts: row.attempts,
          error: row.last_error,
        };
  },
  resend: async (id, to, resend) => {
    // Due at once, from the start, to the address as it is now; the history grows by one.
    const rows = await client.query<{ id: string }>(
      `UPDATE ${s}.mail_outbox
          SET status = 'pending', attempts = 0, last_error = NULL, finished_at = NULL,
              next_attempt_at = $3, resent_at = $3, recipient = $2,
              message = jsonb_set(message, '{mail,to}', to_jsonb($2::text)),
              history = history || jsonb_build_array($4::text::jsonb)
        WHERE id = $1 AND status = 'failed'
        RETURNING id`,
      [id, to, resend.at, JSON.stringify(MailResend.encode(resend))],
    );
    return rows.length === 1;
  },
});
