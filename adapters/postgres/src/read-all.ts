import {
  DEFAULT_READ_BATCH,
  type EventStore,
  type ReadAllPage,
  type StoredEvent,
} from "@mebel/core";
import { EVENT_JSON, parseEventJson } from "./event-json.js";
import type { SqlQuery } from "./sql-client.js";

/**
 * A row of a page: either an event, as the text of one JSON array (see event-json.ts), or the log
 * head, as text (pg hands bigints over as strings, PGlite as numbers or bigints).
 */
type PageRow =
  | { readonly head: string; readonly event: null }
  | { readonly head: null; readonly event: string };

const EVENT_COLUMNS = `NULL::text AS head, ${EVENT_JSON} AS event`;

/**
 * The page's events in log order, strictly after `$1`, at most `$2` of them, of every category
 * or of the categories in `$3`, `$4`, ...: one walk of an index in position order per category,
 * stopped at the limit, and several merged in order (a Merge Append: nothing is sorted). Each
 * category is a parameter of its own, planned with its value: the planner walks the primary key
 * for a category that holds most of the log and the (category, position) index for a rare one.
 * (One plan for any category, as with `unnest` and LATERAL, walks the primary key for them all,
 * and then a category absent from the rest of the log costs a walk of all of it on every page.)
 */
const pageQuery = (s: string, categories: number | undefined): string => {
  if (categories === undefined) {
    return `SELECT ${EVENT_COLUMNS} FROM ${s}.events e
             WHERE e.position > $1::bigint ORDER BY e.position LIMIT $2`;
  }
  const walk = (parameter: number, columns: string) =>
    `SELECT ${columns} FROM ${s}.events e
      WHERE e.category = $${parameter}::text AND e.position > $1::bigint
      ORDER BY e.position LIMIT $2`;
  if (categories === 1) return walk(3, EVENT_COLUMNS);
  const walks = Array.from(
    { length: categories },
    (_, i) => `(${walk(i + 3, `e.position, ${EVENT_COLUMNS}`)})`,
  );
  return `SELECT u.head, u.event FROM (${walks.join(" UNION ALL ")}) u
           ORDER BY u.position LIMIT $2`;
};

/**
 * The head comes from the same statement, so from the same snapshot, as the page: when the page
 * is short, everything up to the head has been read, filtered-out events included, so the head is
 * a safe checkpoint. It comes as a row of its own rather than as a column of every event; UNION
 * ALL keeps the page's order, and where the head's row lands does not matter. LIMIT 1 keeps the
 * planner's estimate of log_head at one row whatever it is (a table without statistics looks like
 * thousands, and an inflated cost buys JIT compilation on every page).
 */
const readAllQuery = (s: string, categories: number | undefined): string => {
  const head = `SELECT h.position::text AS head, NULL::text AS event FROM ${s}.log_head h LIMIT 1`;
  // An empty list of categories lets nothing through: there is no page, only the head.
  return categories === 0 ? head : `(${head}) UNION ALL (${pageQuery(s, categories)})`;
};

/** `readAll` of the PostgreSQL event store: one statement per page. */
export const createReadAll = (client: SqlQuery, s: string): EventStore["readAll"] => {
  /** By the number of categories filtered on (`undefined`: no filter). */
  const queries = new Map<number | undefined, string>();
  const queryFor = (categories: number | undefined): string => {
    let query = queries.get(categories);
    if (query === undefined) {
      query = readAllQuery(s, categories);
      queries.set(categories, query);
    }
    return query;
  };
  return async (options = {}): Promise<ReadAllPage> => {
    const after = options.after ?? 0n;
    const maxCount = Math.max(1, options.maxCount ?? DEFAULT_READ_BATCH);
    const categories =
      options.categories === undefined ? undefined : [...new Set(options.categories)];
    const params: unknown[] = [after.toString(), maxCount, ...(categories ?? [])];
    const query = queryFor(categories?.length);

    let head = 0n;
    const events: StoredEvent[] = [];
    // An empty filter's statement reads only the head, and takes no parameters. A statement with
    // categories is never prepared: once prepared, the server may plan it once for any category
    // (a generic plan, after five runs), and that plan walks the primary key, for a rare
    // category through the whole log. The others have one good plan whatever their values.
    const rows = await client.query<PageRow>(query, categories?.length === 0 ? [] : params, {
      prepare: categories === undefined || categories.length === 0,
    });
    for (const row of rows) {
      if (row.event === null) {
        head = BigInt(row.head);
        continue;
      }
      events.push(parseEventJson(row.event));
    }
    const last = events[events.length - 1];
    if (events.length === maxCount && last !== undefined) {
      return { events, position: last.position, isEnd: last.position >= head };
    }
    return head > after ? { events, position: head, isEnd: true } : { events, isEnd: true };
  };
};
