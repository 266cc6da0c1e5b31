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

interface Holder {
  readonly session: SqlSession;
  readonly token: symbol;
  readonly onLost?: (reason: Error) => void;
}

/**
 * Session advisory locks (`pg_try_advisory_lock`) on a connection kept for them.
 *
 * Fenced: when that connection drops or stops answering its heartbeat (the driver watches it),
 * every holder is told at once through `onLost`, the connection is ended so the server frees what
 * it still holds, and later attempts open a new one. On PGlite there is one session, which is lost
 * only with the engine itself (its worker thread gone): holders are told then, and no other
 * process can be holding the folder to take the locks over.
 */
export const createPostgresLocks = (client: SqlClient, { schema }: SchemaNames): PostgresLocks => {
  const releases = new Set<() => Promise<void>>();
  /** What this instance holds, by key. */
  const mine = new Map<string, Holder>();
  let session: Promise<SqlSession> | undefined;

  const lose = (lost: SqlSession, reason: Error): void => {
    const held = heldOn(lost);
    for (const [key, holder] of [...mine]) {
      if (holder.session !== lost) continue;
      mine.delete(key);
      if (held.get(key) === holder.token) held.delete(key);
      holder.onLost?.(reason);
    }
    void lost.end().catch(() => {});
  };

  const connection = (): Promise<SqlSession> => {
    if (session === undefined) {
      let opened: SqlSession | undefined;
      let early: Error | undefined;
      const opening = client.session((reason) => {
        if (session === opening) session = undefined;
        if (opened === undefined) early = reason;
        else lose(opened, reason);
      });
      session = opening;
      opening.then(
        (ready) => {
          opened = ready;
          if (early !== undefined) lose(ready, early);
        },
        () => {
          if (session === opening) session = undefined;
        },
      );
    }
    return session;
  };

  return {
    tryAcquire: async (name, onLost) => {
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
            if (held.get(key) === token) held.delete(key);
            throw error;
          },
        );
      // The session may have dropped while the answer was on its way: then the lock is gone too.
      if (!acquired || held.get(key) !== token) {
        if (held.get(key) === token) held.delete(key);
        return undefined;
      }
      mine.set(key, { session: lockedOn, token, ...(onLost === undefined ? {} : { onLost }) });
      const release = async (): Promise<void> => {
        // Only the holder's first release counts: a late one must not free a later holder's lock.
        releases.delete(release);
        if (mine.get(key)?.token === token) mine.delete(key);
        if (held.get(key) !== token) return;
        held.delete(key);
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
