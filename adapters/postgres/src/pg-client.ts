import type pg from "pg";
import PgClient from "pg/lib/client.js";
import { createConnectionPool } from "./connection-pool.js";
import type { SqlClient, SqlQuery, SqlSession } from "./sql-client.js";

export interface PgOptions {
  /** Pool size for queries; sessions and the listener use connections of their own. */
  readonly max?: number;
  /** How long a lost listener connection waits before it reconnects. */
  readonly reconnectMs?: number;
}

const queryOn =
  (client: pg.ClientBase): SqlQuery["query"] =>
  async <Row extends object>(text: string, params: ReadonlyArray<unknown> = []) =>
    (await client.query<Row>(text, params as unknown[])).rows;

/** A PostgreSQL server through pg. */
export const connectPg = (url: string, options: PgOptions = {}): SqlClient => {
  const reconnectMs = options.reconnectMs ?? 1_000;
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
    return { query: queryOn(client), end: () => client.end() };
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
    query: (text, params) => withClient((client) => queryOn(client)(text, params)),
    transaction: async (work) => {
      const client = await pool.acquire();
      try {
        await client.query("BEGIN");
        const result = await work({ query: queryOn(client) });
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
