import type { Locks } from "@mebel/core";
import type { SchemaNames } from "./schema-name.js";
import type { SqlClient, SqlSession } from "./sql-client.js";

export interface PostgresLocks extends Locks {
  /** Releases what this instance holds and ends its lock connection. */
  readonly close: () => Promise<void>;
}

/**
 * Lock keys held on each session, by whichever Locks instance took them. A session may take its
 * own advisory lock again, and PGlite has one session for everyone in the process, so the server
 * alone cannot refuse a second attempt made through the same session: this map does.
 */
const heldBySession = new WeakMap<SqlSession, Map<string, symbol>>();

const heldOn = (session: SqlSession): Map<string, symbol> => {
  let held = heldBySession.get(session);
  if (held === undefined) {
    held = new Map();
    heldBySession.set(session, held);
  }
  return held;
};

/** Session advisory locks (`pg_try_advisory_lock`) on a connection kept for them. */
export const createPostgresLocks = (client: SqlClient, { schema }: SchemaNames): PostgresLocks => {
  const releases = new Set<() => Promise<void>>();
  let session: Promise<SqlSession> | undefined;

  const connection = (): Promise<SqlSession> => {
    if (session === undefined) {
      const opening = client.session(() => {
        // The server freed this connection's locks with it; the next attempt reconnects.
        if (session === opening) session = undefined;
      });
      session = opening;
      opening.catch(() => {
        if (session === opening) session = undefined;
      });
    }
    return session;
  };

  return {
    tryAcquire: async (name) => {
      const key = `mebel.lock.${schema}.${name}`;
      const lockedOn = await connection();
      const held = heldOn(lockedOn);
      // Claimed before the round trip, so concurrent attempts in this process cannot both win.
      if (held.has(key)) return undefined;
      const token = Symbol(key);
      held.set(key, token);
      const acquired = await lockedOn
        .query<{ acquired: boolean }>(
          "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS acquired",
          [key],
        )
        .then(
          ([row]) => row?.acquired === true,
          (error: unknown) => {
            held.delete(key);
            throw error;
          },
        );
      if (!acquired) {
        held.delete(key);
        return undefined;
      }
      const release = async (): Promise<void> => {
        // Only the holder's first release counts: a late one must not free a later holder's lock.
        if (held.get(key) !== token) return;
        held.delete(key);
        releases.delete(release);
        await lockedOn.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [key]);
      };
      releases.add(release);
      return release;
    },
    close: async () => {
      await Promise.allSettled([...releases].map((release) => release()));
      const open = session;
      session = undefined;
      await (await open?.catch(() => undefined))?.end();
    },
  };
};
