import type pg from "pg";
import PgClient from "pg/lib/client.js";
import { createConnectionPool } from "./connection-pool.js";
import type { QueryOptions, SqlClient, SqlQuery, SqlSession } from "./sql-client.js";

export interface PgOptions {
  /** Pool size for queries; sessions and the listener use connections of their own. */
  readonly max?: number;
  /** How long a lost listener connection waits before it reconnects. */
  readonly reconnectMs?: number;
}

/**
 * Names of prepared statements by their text, one name per text for every connection of a
 * client: pg prepares a name on a connection the first time it runs there (a new connection after
 * a lost one included), and refuses a name reused for another text.
 */
type StatementNames = (text: string) => string;

const statementNames = (): StatementNames => {
  const names = new Map<string, string>();
  return (text) => {
    let name = names.get(text);
    if (name === undefined) {
      name = `mebel_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
};

const queryOn =
  (client: pg.ClientBase, nameOf: StatementNames): SqlQuery["query"] =>
  async <Row extends object>(
    text: string,
    params: ReadonlyArray<unknown> = [],
    options?: QueryOptions,
  ) =>
    (
      await (options?.prepare === true
        ? client.query<Row>({ name: nameOf(text), text, values: params as unknown[] })
        : client.query<Row>(text, params as unknown[]))
    ).rows;

/** A PostgreSQL server through pg. */
export const connectPg = (url: string, options: PgOptions = {}): SqlClient => {
  const reconnectMs = options.reconnectMs ?? 1_000;
  const nameOf = statementNames();
  const openClient = async (onError: (error: Error) => void): Promise<pg.Client> => {
    const client = new PgClient({ connectionString: url });
    client.on("error", onError);
    await client.connect();
    return client;
  };
  const pool = createConnectionPool(openClient, options.max ?? 10);

  const withClient = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = await pool.acquire();
    try {
      return await work(client);
    } finally {
      pool.release(client);
    }
  };

  const session = async (onLost: (error: Error) => void): Promise<SqlSession> => {
    const client: pg.Client = await openClient((error) => {
      void client.end().catch(() => {});
      onLost(error);
    });
    return { query: queryOn(client, nameOf), end: () => client.end() };
  };

  const listen: SqlClient["listen"] = async (channel, onNotify) => {
    let closed = false;
    let client: pg.Client | undefined;
    // Subscribers poll while the listener is down, and are woken once it is back, since any
    // NOTIFY sent meanwhile is lost.
    const reconnect = (): void => {
      if (!closed) setTimeout(() => void connect().then(onNotify, reconnect), reconnectMs);
    };
    const connect = async (): Promise<void> => {
      let lost = false;
      const next = await openClient(() => {
        if (lost) return;
        lost = true;
        if (client === next) client = undefined;
        void next.end().catch(() => {});
        reconnect();
      });
      next.on("notification", (message) => {
        if (message.channel === channel) onNotify();
      });
      await next.query(`LISTEN "${channel}"`).catch(async (error: unknown) => {
        lost = true;
        await next.end().catch(() => {});
        throw error;
      });
      if (closed) await next.end();
      else client = next;
    };
    await connect();
    return async () => {
      closed = true;
      await client?.end();
    };
  };

  return {
    query: (text, params, queryOptions) =>
      withClient((client) => queryOn(client, nameOf)(text, params, queryOptions)),
    transaction: async (work) => {
      const client = await pool.acquire();
      try {
        await client.query("BEGIN");
        const result = await work({ query: queryOn(client, nameOf) });
        await client.query("COMMIT");
        pool.release(client);
        return result;
      } catch (error) {
        // A connection that cannot even roll back is closed rather than reused.
        const rolledBack = await client.query("ROLLBACK").then(
          () => true,
          () => false,
        );
        pool.release(client, !rolledBack);
        throw error;
      }
    },
    session,
    listen,
    close: pool.close,
  };
};
