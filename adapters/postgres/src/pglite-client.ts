import { Mutex, PGlite } from "@electric-sql/pglite";
import { pglitePlainStatements } from "./pglite-plain.js";
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

/** A channel's name as the engine reports it: PGlite's own rule for `listen`. */
const postgresName = (channel: string): string =>
  channel.startsWith('"') && channel.endsWith('"') ? channel.slice(1, -1) : channel.toLowerCase();

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
 * asked to be prepared are kept prepared by name (PGlite's `query` cannot); statements run past
 * PGlite's `query` (pglite-plain.ts, pglite-prepared.ts) and so round its transaction lock, so
 * transactions here also take a lock of ours that statements outside them wait on.
 */
export const pgliteClient = (db: PGlite): SqlClient => {
  // By channel as the engine names it (PGlite folds an unquoted name to lower case, as LISTEN does).
  const listeners = new Map<string, Set<() => void>>();
  const notified = ({ channel }: { channel: string }) => {
    for (const onNotify of listeners.get(channel) ?? []) onNotify();
  };
  const plain = pglitePlainStatements(db, notified);
  const prepared = pglitePreparedStatements(db, notified);
  const exclusive = new Mutex();
  const query = <Row extends object>(
    text: string,
    params: ReadonlyArray<unknown> = [],
    options?: QueryOptions,
  ): Promise<Row[]> =>
    exclusive.runExclusive(() =>
      db.runExclusive(() =>
        options?.prepare === true ? prepared<Row>(text, params) : plain<Row>(text, params, false),
      ),
    );
  return {
    query,
    transaction: (work) =>
      exclusive.runExclusive(() =>
        db.transaction((tx) =>
          work({
            query: async <Row extends object>(
              text: string,
              params: ReadonlyArray<unknown> = [],
            ) => {
              // As PGlite's own transaction refuses a statement once its callback has returned.
              if (tx.closed) throw new Error("Transaction is closed");
              return db.runExclusive(() => plain<Row>(text, params, true));
            },
          }),
        ),
      ),
    session: async () => sessionOf(db),
    // PGlite's own listeners hear what its `exec` commits (a transaction's COMMIT); statements
    // here bypass its parser, so what they commit is heard through `listeners`.
    listen: async (channel, onNotify) => {
      const name = postgresName(channel);
      const heard = () => onNotify();
      const stop = await db.listen(channel, heard);
      let set = listeners.get(name);
      if (set === undefined) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(heard);
      return async () => {
        set.delete(heard);
        if (set.size === 0 && listeners.get(name) === set) listeners.delete(name);
        await stop();
      };
    },
    budget: () => ({ pool: 0, listener: 0, session: 0, thread: 0 }),
    close: () => db.close(),
  };
};

/** Embedded PostgreSQL: in memory, or kept in `dataDir` across restarts. */
export const openPglite = async (dataDir?: string): Promise<SqlClient> =>
  pgliteClient(await PGlite.create(dataDir === undefined ? {} : { dataDir }));
