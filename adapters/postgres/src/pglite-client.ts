import { Mutex, PGlite } from "@electric-sql/pglite";
import { pglitePreparedStatements } from "./pglite-prepared.js";
import type { QueryOptions, SqlClient, SqlQuery, SqlSession } from "./sql-client.js";

interface Queryable {
  // biome-ignore lint/suspicious/noExplicitAny: PGlite's own parameter type.
  readonly query: <T>(text: string, params?: any[]) => Promise<{ rows: T[] }>;
}

const queryOn =
  (db: Queryable): SqlQuery["query"] =>
  async <Row extends object>(text: string, params: ReadonlyArray<unknown> = []) =>
    (await db.query<Row>(text, [...params])).rows;

/** PGlite is one connection, so it has one session, whoever asks: lock state is kept per session. */
const sessions = new WeakMap<PGlite, SqlSession>();

const sessionOf = (db: PGlite): SqlSession => {
  let session = sessions.get(db);
  if (session === undefined) {
    session = { query: queryOn(db), end: async () => {} };
    sessions.set(db, session);
  }
  return session;
};

/**
 * An SqlClient over a PGlite instance: its transactions exclude every other query. Statements
 * asked to be prepared are kept prepared by name (PGlite's `query` cannot); since they go round
 * PGlite's own transaction lock, transactions here also take a lock of ours that they wait on.
 */
export const pgliteClient = (db: PGlite): SqlClient => {
  const plain = queryOn(db);
  const prepared = pglitePreparedStatements(db);
  const exclusive = new Mutex();
  const query = <Row extends object>(
    text: string,
    params: ReadonlyArray<unknown> = [],
    options?: QueryOptions,
  ): Promise<Row[]> =>
    options?.prepare === true
      ? exclusive.runExclusive(() => db.runExclusive(() => prepared<Row>(text, params)))
      : plain<Row>(text, params);
  return {
    query,
    transaction: (work) =>
      exclusive.runExclusive(() => db.transaction((tx) => work({ query: queryOn(tx) }))),
    session: async () => sessionOf(db),
    listen: (channel, onNotify) => db.listen(channel, () => onNotify()),
    budget: () => ({ pool: 0, listener: 0, session: 0, thread: 0 }),
    close: () => db.close(),
  };
};

/** Embedded PostgreSQL: in memory, or kept in `dataDir` across restarts. */
export const openPglite = async (dataDir?: string): Promise<SqlClient> =>
  pgliteClient(await PGlite.create(dataDir === undefined ? {} : { dataDir }));
