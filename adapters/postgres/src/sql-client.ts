export interface QueryOptions {
  /**
   * Keep the statement prepared on each connection that runs it, so the server parses it once per
   * connection rather than on every call (pg, and PGlite outside a transaction). Only for a text
   * fixed for the life of the client, whose generic plan is as good as a plan for any of its
   * values: after five runs the server may plan it once for every value.
   */
  readonly prepare?: boolean;
}

/** One statement with `$1`-style parameters, its rows back. */
export interface SqlQuery {
  readonly query: <Row extends object = Record<string, unknown>>(
    text: string,
    params?: ReadonlyArray<unknown>,
    options?: QueryOptions,
  ) => Promise<Row[]>;
}

/** A connection kept for session state such as advisory locks; ending it drops that state. */
export interface SqlSession extends SqlQuery {
  readonly end: () => Promise<void>;
}

/**
 * What a client may hold open at most: server connections (pool, listeners, sessions) and, for
 * embedded PGlite on a worker, its thread. Counts for the connection budget in /health.
 */
export interface ConnectionBudget {
  readonly pool: number;
  readonly listener: number;
  readonly session: number;
  readonly thread: number;
}

/**
 * The little the stores need of a PostgreSQL driver, so one SQL implementation serves a server
 * (pg) and the embedded engine (PGlite) alike.
 */
export interface SqlClient extends SqlQuery {
  /** Runs `work` in one transaction on one connection: committed if it resolves, else rolled back. */
  readonly transaction: <T>(work: (tx: SqlQuery) => Promise<T>) => Promise<T>;
  /**
   * A connection of its own (PGlite has only one, so it shares it). `onLost` is called if the
   * connection breaks, which also ends every lock it held.
   */
  readonly session: (onLost: (error: Error) => void) => Promise<SqlSession>;
  /**
   * Calls `onNotify` after NOTIFYs on `channel` until the returned function is called: a wake-up,
   * not a count (several NOTIFYs close together may wake it once; PGlite on a thread merges them).
   */
  readonly listen: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
  readonly budget: () => ConnectionBudget;
  readonly close: () => Promise<void>;
}
