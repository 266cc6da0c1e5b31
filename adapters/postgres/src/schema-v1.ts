import type { SchemaNames } from "./schema-name.js";

/**
 * Tables for events, the log head, checkpoints and read models, and the append function.
 *
 * (Migration 3 replaced the counter row by an advisory lock and the append function by one that
 * group-commits; the argument below holds for both.)
 *
 * Gap-free global order: every append first locks the single `log_head` row and takes its next
 * positions from it, so positions are handed out one transaction at a time, in commit order:
 * PostgreSQL makes a commit visible before it releases the transaction's locks, so the next
 * append cannot take a position until the previous one is visible. A reader that sees position n
 * therefore sees every position below it, and positions are dense (a rolled-back append rolls the
 * head back too). The price: appends, even to different streams, commit one after another. An
 * append is one short statement, so the lock is held for that statement and its commit.
 *
 * Rejected: sequence positions read only below `pg_snapshot_xmin` (xid8). Writes stay parallel,
 * but transaction ids are not taken in position order, so a checkpoint would have to be a
 * (transaction, position) pair where the port has one bigint, and every reader would wait out
 * any long write transaction anywhere in the cluster.
 */
export const schemaV1 = ({ quoted: s, channel }: SchemaNames): ReadonlyArray<string> => [
  `CREATE TABLE ${s}.events (
    position bigint PRIMARY KEY,
    stream_name text COLLATE "C" NOT NULL,
    revision integer NOT NULL,
    event_id uuid NOT NULL UNIQUE,
    type text NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb NOT NULL,
    category text COLLATE "C" GENERATED ALWAYS AS (split_part(stream_name, '-', 1)) STORED,
    UNIQUE (stream_name, revision)
  )`,
  `CREATE INDEX events_category_position ON ${s}.events (category, position)`,
  `CREATE TABLE ${s}.log_head (
    single boolean PRIMARY KEY DEFAULT true CHECK (single),
    position bigint NOT NULL
  )`,
  `INSERT INTO ${s}.log_head (position) VALUES (0)`,
  `CREATE TABLE ${s}.checkpoints (
    name text PRIMARY KEY,
    position bigint NOT NULL
  )`,
  `CREATE TABLE ${s}.read_model_docs (
    projection text NOT NULL,
    key text COLLATE "C" NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (projection, key)
  )`,
  `CREATE TABLE ${s}.read_model_checkpoints (
    projection text PRIMARY KEY,
    position bigint NOT NULL
  )`,
  // One round trip per append: the revision check, the idempotency check by event ids and the
  // insert happen here, under the log_head lock, each statement with a fresh snapshot.
  `CREATE FUNCTION ${s}.append_events(
    p_stream text,
    p_expected_kind text,
    p_expected_revision integer,
    p_events jsonb
  ) RETURNS TABLE (outcome text, stream_revision integer, log_position bigint)
  LANGUAGE plpgsql AS $body$
  DECLARE
    v_head bigint;
    v_current integer;
    v_count integer := jsonb_array_length(p_events);
    v_known integer;
    v_shifts integer;
    v_first integer;
    v_same_stream boolean;
    v_known_last bigint;
    v_placed boolean;
    v_expected_holds boolean;
  BEGIN
    -- The plans of these statements are cached for the session, possibly from when the table
    -- was empty: each is written so that an index walk is its only sensible plan at any size.
    SELECT h.position INTO v_head FROM ${s}.log_head h FOR UPDATE;
    SELECT e.revision INTO v_current FROM ${s}.events e
     WHERE e.stream_name = p_stream ORDER BY e.revision DESC LIMIT 1;
    v_current := coalesce(v_current, -1);

    -- A retry carries ids already stored: the same batch at the same place is the earlier
    -- success; anything else is a conflict.
    SELECT count(*), count(DISTINCT e.revision - x.n), min(e.revision),
           bool_and(e.stream_name = p_stream), max(e.position)
      INTO v_known, v_shifts, v_first, v_same_stream, v_known_last
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, n)
     CROSS JOIN LATERAL (
       SELECT k.stream_name, k.revision, k.position FROM ${s}.events k
        WHERE k.event_id = (x.ev ->> 'eventId')::uuid LIMIT 1
     ) e;
    IF v_known > 0 THEN
      v_placed := CASE p_expected_kind
        WHEN 'exact' THEN v_first = p_expected_revision + 1
        WHEN 'no_stream' THEN v_first = 0
        ELSE true END;
      IF v_known = v_count AND v_shifts = 1 AND v_same_stream AND v_placed THEN
        RETURN QUERY SELECT 'ok'::text, v_first + v_count - 1, v_known_last;
      ELSE
        RETURN QUERY SELECT 'conflict'::text, v_current, NULL::bigint;
      END IF;
      RETURN;
    END IF;

    v_expected_holds := CASE p_expected_kind
      WHEN 'any' THEN true
      WHEN 'no_stream' THEN v_current = -1
      WHEN 'stream_exists' THEN v_current >= 0
      ELSE v_current = p_expected_revision END;
    IF NOT v_expected_holds THEN
      RETURN QUERY SELECT 'conflict'::text, v_current, NULL::bigint;
      RETURN;
    END IF;

    INSERT INTO ${s}.events (position, stream_name, revision, event_id, type, data, metadata)
    SELECT v_head + x.n, p_stream, v_current + x.n::integer, (x.ev ->> 'eventId')::uuid,
           x.ev ->> 'type', x.ev -> 'data', x.ev -> 'metadata'
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, n);
    UPDATE ${s}.log_head SET position = v_head + v_count;
    PERFORM pg_notify('${channel}', (v_head + v_count)::text);
    RETURN QUERY SELECT 'ok'::text, v_current + v_count, v_head + v_count;
  END
  $body$`,
];
