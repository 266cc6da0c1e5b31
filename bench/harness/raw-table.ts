import type { SqlClient } from "@mebel/adapter-postgres";
import type { EventToAppend } from "@mebel/core";

/**
 * The physical baseline: a copy of the store's `events` table (same columns, the same unique keys,
 * the category index) whose positions come from a plain identity column. Writing to it is what
 * any PostgreSQL client pays for the same rows, without revision checks, idempotency or a
 * gap-free global order.
 */
export const createRawTable = async (client: SqlClient, schema: string): Promise<string> => {
  const table = `"${schema}".raw_events`;
  await client.query(`CREATE TABLE ${table} (LIKE "${schema}".events INCLUDING ALL)`);
  await client.query(`ALTER TABLE ${table} ALTER COLUMN position ADD GENERATED ALWAYS AS IDENTITY`);
  return table;
};

/** Copies the store's events into the raw table, so both hold the same rows when the timing starts. */
export const copyEvents = (client: SqlClient, schema: string, table: string) =>
  client.query(
    `INSERT INTO ${table} (stream_name, revision, event_id, type, data, metadata)
     SELECT stream_name, revision, event_id, type, data, metadata FROM "${schema}".events
      ORDER BY position`,
  );

/** Rows of one stream from `revision` on, in one autocommit INSERT (multi-row VALUES). */
export const rawInsert = async (
  client: SqlClient,
  table: string,
  streamName: string,
  revision: number,
  events: ReadonlyArray<EventToAppend>,
): Promise<void> => {
  const params: unknown[] = [];
  const rows = events.map((event, i) => {
    const at = params.length;
    params.push(
      streamName,
      revision + i,
      event.eventId,
      event.type,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
    );
    return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}::jsonb, $${at + 6}::jsonb)`;
  });
  await client.query(
    `INSERT INTO ${table} (stream_name, revision, event_id, type, data, metadata) VALUES ${rows.join(", ")}`,
    params,
  );
};

/** A raw ordered SELECT of a stream's rows after `after`: what loading an aggregate has to read. */
export const rawSelect = (client: SqlClient, table: string, streamName: string, after = -1n) =>
  client.query(
    `SELECT position, stream_name, revision, event_id, type, data, metadata FROM ${table}
      WHERE stream_name = $1 AND revision > $2 ORDER BY revision`,
    [streamName, after.toString()],
  );
