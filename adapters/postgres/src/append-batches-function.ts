import type { SchemaNames } from "./schema-name.js";

/**
 * The group-commit append function of schema v3 (see there for how it works), its stream revisions
 * of the given type: v3 created it with \`integer\` ones, v6 recreates it with \`bigint\` ones. Both
 * migrations are released: change this text only together with a new migration that recreates
 * the function, never to alter what an applied migration did.
 */
export const appendBatchesFunction = (
  { schema, quoted: s, channel }: SchemaNames,
  revision: "integer" | "bigint",
): string =>
  `CREATE FUNCTION ${s}.append_batches(p_appends jsonb)
  RETURNS TABLE (ordinal integer, outcome text, stream_revision ${revision}, log_position bigint)
  LANGUAGE plpgsql AS $body$
  DECLARE
    v_start bigint;
    v_head bigint;
    v_append jsonb;
    v_stream text;
    v_kind text;
    v_expected ${revision};
    v_events jsonb;
    v_count integer;
    v_current ${revision};
    v_inserted integer;
    v_known integer;
    v_shifts integer;
    v_first ${revision};
    v_same_stream boolean;
    v_known_last bigint;
    v_placed boolean;
    v_last ${revision};
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('mebel.append.${schema}', 0));
    SELECT coalesce(max(e.position), 0) INTO v_start FROM ${s}.events e;
    v_head := v_start;
    FOR v_append, ordinal IN
      SELECT x.value, x.n::integer FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS x(value, n)
    LOOP
      v_stream := v_append ->> 'stream';
      v_kind := v_append ->> 'kind';
      v_expected := (v_append ->> 'revision')::${revision};
      v_events := v_append -> 'events';
      v_count := jsonb_array_length(v_events);

      -- Refused as a whole by the revision check, or when any of its ids is stored already.
      WITH placed AS (
        INSERT INTO ${s}.events (position, stream_name, revision, event_id, type, data, metadata)
        SELECT v_head + x.n, v_stream, c.current + x.n::integer, (x.ev ->> 'eventId')::uuid,
               x.ev ->> 'type', x.ev -> 'data', x.ev -> 'metadata'
          FROM (SELECT coalesce((SELECT e.revision FROM ${s}.events e
                                  WHERE e.stream_name = v_stream
                                  ORDER BY e.revision DESC LIMIT 1), -1) AS current) c
         CROSS JOIN jsonb_array_elements(v_events) WITH ORDINALITY AS x(ev, n)
         WHERE CASE v_kind
                 WHEN 'any' THEN true
                 WHEN 'no_stream' THEN c.current = -1
                 WHEN 'stream_exists' THEN c.current >= 0
                 ELSE c.current = v_expected END
           AND NOT EXISTS (
                 SELECT 1 FROM ${s}.events k
                  WHERE k.event_id = ANY (ARRAY(
                          SELECT (y.ev ->> 'eventId')::uuid FROM jsonb_array_elements(v_events) AS y(ev))))
        RETURNING revision
      )
      SELECT count(*)::integer, max(revision) INTO v_inserted, v_last FROM placed;
      IF v_inserted > 0 THEN
        v_head := v_head + v_count;
        outcome := 'ok';
        stream_revision := v_last;
        log_position := v_head;
        RETURN NEXT;
        CONTINUE;
      END IF;

      SELECT e.revision INTO v_current FROM ${s}.events e
       WHERE e.stream_name = v_stream ORDER BY e.revision DESC LIMIT 1;
      v_current := coalesce(v_current, -1);

      -- A retry carries ids already stored: the same batch at the same place is the earlier
      -- success; anything else is a conflict.
      SELECT count(*), count(DISTINCT e.revision - x.n), min(e.revision),
             bool_and(e.stream_name = v_stream), max(e.position)
        INTO v_known, v_shifts, v_first, v_same_stream, v_known_last
        FROM jsonb_array_elements(v_events) WITH ORDINALITY AS x(ev, n)
       CROSS JOIN LATERAL (
         SELECT k.stream_name, k.revision, k.position FROM ${s}.events k
          WHERE k.event_id = (x.ev ->> 'eventId')::uuid LIMIT 1
       ) e;
      v_placed := CASE v_kind
        WHEN 'exact' THEN v_first = v_expected + 1
        WHEN 'no_stream' THEN v_first = 0
        ELSE true END;
      IF v_known = v_count AND v_shifts = 1 AND v_same_stream AND v_placed THEN
        outcome := 'ok';
        stream_revision := v_first + v_count - 1;
        log_position := v_known_last;
      ELSE
        outcome := 'conflict';
        stream_revision := v_current;
        log_position := NULL;
      END IF;
      RETURN NEXT;
    END LOOP;

    IF v_head > v_start THEN
      PERFORM pg_notify('${channel}', v_head::text);
    END IF;
  END
  $body$`;
