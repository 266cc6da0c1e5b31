import { backoffDelay, isStoreUnavailable } from "@mebel/core";
import type pg from "pg";
import PgClient from "pg/lib/client.js";
import PgPool from "pg-pool";
import type {
  ConnectionBudget,
  QueryOptions,
  SqlClient,
  SqlQuery,
  SqlSession,
} from "./sql-client.js";
import { asStoreError, guarded } from "./transient-errors.js";
import {
  destroyConnection,
  openWatchedConnection,
  type WatchedConnection,
} from "./watched-connection.js";

export interface PgOptions {
  /** Pool size for queries; the lock session and the listener use a connection each of their own. */
  readonly max?: number;
  /** How long opening a connection (or waiting for a free one in the pool) may take. */
  readonly connectTimeoutMs?: number;
  /** How long a pooled connection may sit unused before it is closed. */
  readonly idleTimeoutMs?: number;
  /** How long a pooled connection lives at most, so a failover or a rebalanced proxy is followed. */
  readonly maxLifetimeSeconds?: number;
  /** The server cancels a statement after this long; the client gives up a little later. */
  readonly statementTimeoutMs?: number;
  /** Shown in `pg_stat_activity`; the lock session and the listener add `/session`, `/listen`. */
  readonly applicationName?: string;
  /** How often the lock session and the listener are asked `SELECT 1`, and how long they may take. */
  readonly heartbeatMs?: number;
  /** The listener's first wait before reconnecting; it doubles, with jitter, up to `reconnectMaxMs`. */
  readonly reconnectMs?: number;
  readonly reconnectMaxMs?: number;
  /**
   * Where the lock session and the listener connect instead of `url`: straight to the server
   * when `url` is a pooler in transaction mode, which keeps neither LISTEN nor session locks.
   */
  readonly sessionUrl?: string;
}

export const PG_DEFAULTS = {
  max: 10,
  connectTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  maxLifetimeSeconds: 1_800,
  statementTimeoutMs: 15_000,
  applicationName: "mebel",
  heartbeatMs: 500,
  reconnectMs: 100,
  reconnectMaxMs: 10_000,
} as const satisfies Required<Omit<PgOptions, "sessionUrl">>;

/** How much later than the server's statement timeout the client stops waiting for an answer. */
const CLIENT_GRACE_MS = 1_000;

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
  <Row extends object>(text: string, params: ReadonlyArray<unknown> = [], options?: QueryOptions) =>
    guarded(
      async () =>
        (
          await (options?.prepare === true
            ? client.query<Row>({ name: nameOf(text), text, values: params as unknown[] })
            : client.query<Row>(text, params as unknown[]))
        ).rows,
    );

/**
 * A connection runs one statement at a time. pg queues a statement given while another runs, but
 * warns that pg 9 will refuse it; a session's users (the locks of a whole process) may well ask
 * at once, so their statements wait their turn here, in the order asked.
 */
const oneAtATime = (query: SqlQuery["query"]): SqlQuery["query"] => {
  let last: Promise<unknown> = Promise.resolve();
  return <Row extends object>(
    text: string,
    params?: ReadonlyArray<unknown>,
    options?: QueryOptions,
  ) => {
    const next = last.then(() => query<Row>(text, params, options));
    last = next.catch(() => undefined);
    return next;
  };
};

/** A PostgreSQL server through pg: a pool for queries, a watched connection each for locks and LISTEN. */
export const connectPg = (url: string, options: PgOptions = {}): SqlClient => {
  const o = { ...PG_DEFAULTS, ...options };
  const nameOf = statementNames();
  const base: pg.ClientConfig = {
    connectionString: url,
    connectionTimeoutMillis: o.connectTimeoutMs,
    statement_timeout: o.statementTimeoutMs,
    query_timeout: o.statementTimeoutMs + CLIENT_GRACE_MS,
    // A client that vanished mid-transaction must not keep the append lock for ever.
    idle_in_transaction_session_timeout: o.statementTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
  const pool = new PgPool({
    ...base,
    application_name: o.applicationName,
    Client: PgClient,
    max: o.max,
    idleTimeoutMillis: o.idleTimeoutMs,
    maxLifetimeSeconds: o.maxLifetimeSeconds,
  });
  // An idle connection that breaks is dropped by the pool; without a listener it would crash us.
  pool.on("error", () => {});
  // And one between uses: released as broken, it is off the pool's books (and its listener)
  // before the server's "terminating connection" reaches it, and an 'error' event that nobody
  // listens to ends the process. What the error means is handled by whoever uses the connection.
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });

  /**
   * A connection of its own whose server session ends by itself once it is idle five heartbeats
   * long, so a session cut off from us (its locks with it) does not outlive what we noticed.
   */
  const watched = (role: string, onLost: (error: Error) => void): Promise<WatchedConnection> =>
    guarded(() =>
      openWatchedConnection(
        {
          ...base,
          connectionString: options.sessionUrl ?? url,
          application_name: `${o.applicationName}/${role}`,
          options: `-c idle_session_timeout=${5 * o.heartbeatMs}`,
        },
        o.heartbeatMs,
        (error) => onLost(asStoreError(error) as Error),
      ),
    );

  let sessions = 0;
  let listeners = 0;
  let closing: Promise<void> | undefined;

  /**
   * A pooled connection for `work`. One that met a fault, or that `work` marks as broken (it
   * could not roll back), is closed rather than handed out again.
   */
  const withClient = async <T>(
    work: (client: pg.PoolClient, broken: () => void) => Promise<T>,
  ): Promise<T> => {
    const client = await guarded(() => pool.connect());
    let discard = false;
    const broken = (): void => {
      discard = true;
    };
    // The pool listens for errors only while a connection is idle: a socket that breaks while
    // checked out would otherwise crash the process. Its query fails on its own.
    client.on("error", broken);
    try {
      return await work(client, broken);
    } catch (error) {
      if (isStoreUnavailable(error)) discard = true;
      throw error;
    } finally {
      client.off("error", broken);
      client.release(discard);
      // Closed at once: a dead network would keep a polite close waiting for ever.
      if (discard) destroyConnection(client);
    }
  };

  const session = async (onLost: (error: Error) => void): Promise<SqlSession> => {
    let counted = true;
    const uncount = (): void => {
      if (counted) sessions -= 1;
      counted = false;
    };
    sessions += 1;
    const connection = await watched("session", (error) => {
      uncount();
      onLost(error);
    }).catch((error: unknown) => {
      uncount();
      throw error;
    });
    return {
      query: oneAtATime(queryOn(connection.client, nameOf)),
      end: async () => {
        uncount();
        await connection.end();
      },
    };
  };

  const listen: SqlClient["listen"] = async (channel, onNotify) => {
    let closed = false;
    let current: WatchedConnection | undefined;
    let attempt = 0;
    listeners += 1;
    // Subscribers poll while the listener is down, and are woken once it is back, since any
    // NOTIFY sent meanwhile is lost.
    const reconnect = (): void => {
      if (closed) return;
      const delay = backoffDelay(
        {
          maxAttempts: Number.POSITIVE_INFINITY,
          baseDelayMs: o.reconnectMs,
          maxDelayMs: o.reconnectMaxMs,
        },
        attempt,
        Math.random(),
      );
      attempt += 1;
      setTimeout(() => void connect().then(onNotify, reconnect), Math.max(delay, 10)).unref();
    };
    const connect = async (): Promise<void> => {
      const next = await watched("listen", () => {
        if (current === next) current = undefined;
        reconnect();
      });
      next.client.on("notification", (message) => {
        if (message.channel === channel) onNotify();
      });
      await guarded(() => next.client.query(`LISTEN "${channel}"`)).catch(
        async (error: unknown) => {
          await next.end();
          throw error;
        },
      );
      attempt = 0;
      if (closed) await next.end();
      else current = next;
    };
    await connect();
    return async () => {
      if (closed) return;
      closed = true;
      listeners -= 1;
      await current?.end();
    };
  };

  return {
    query: (text, params, queryOptions) =>
      withClient((client) => queryOn(client, nameOf)(text, params, queryOptions)),
    transaction: (work) =>
      withClient(async (client, broken) => {
        const tx = queryOn(client, nameOf);
        await tx("BEGIN");
        try {
          const result = await work({ query: tx });
          await tx("COMMIT");
          return result;
        } catch (error) {
          await tx("ROLLBACK").catch(broken);
          throw error;
        }
      }),
    session,
    listen,
    budget: (): ConnectionBudget => ({
      pool: o.max,
      listener: listeners,
      session: sessions,
      thread: 0,
    }),
    // Once, however many stores share the client: pg-pool refuses a second end.
    close: () => {
      closing ??= pool.end();
      return closing;
    },
  };
};
