import type pg from "pg";

export interface ConnectionPool {
  readonly acquire: () => Promise<pg.Client>;
  /** Hands a connection back; `discard` closes it instead (it broke, or its state is unknown). */
  readonly release: (client: pg.Client, discard?: boolean) => void;
  readonly close: () => Promise<void>;
}

/**
 * Up to `max` connections, opened on demand and reused, waiters served first come first served.
 * A connection that reports an error is never handed out again.
 */
export const createConnectionPool = (
  connect: (onError: (error: Error) => void) => Promise<pg.Client>,
  max: number,
): ConnectionPool => {
  const idle: pg.Client[] = [];
  const broken = new WeakSet<pg.Client>();
  const waiters: Array<{ resolve: (c: pg.Client) => void; reject: (e: unknown) => void }> = [];
  let size = 0;
  let closed = false;

  const discard = (client: pg.Client): void => {
    size -= 1;
    void client.end().catch(() => {});
    fill();
  };

  const open = async (): Promise<pg.Client> => {
    const client = await connect(() => {
      broken.add(client);
      const at = idle.indexOf(client);
      if (at !== -1) {
        idle.splice(at, 1);
        discard(client);
      }
    });
    return client;
  };

  // Opens connections for waiters while there is room; idle ones are handed over in release.
  const fill = (): void => {
    while (waiters.length > 0 && size < max && !closed) {
      const waiter = waiters.shift() as (typeof waiters)[number];
      size += 1;
      open().then(waiter.resolve, (error: unknown) => {
        size -= 1;
        waiter.reject(error);
      });
    }
  };

  return {
    acquire: () => {
      if (closed) return Promise.reject(new Error("The connection pool is closed."));
      const ready = idle.pop();
      if (ready !== undefined) return Promise.resolve(ready);
      return new Promise((resolve, reject) => {
        waiters.push({ resolve, reject });
        fill();
      });
    },
    release: (client, unusable = false) => {
      if (unusable || closed || broken.has(client)) return discard(client);
      const waiter = waiters.shift();
      if (waiter === undefined) idle.push(client);
      else waiter.resolve(client);
    },
    close: async () => {
      closed = true;
      for (const waiter of waiters.splice(0))
        waiter.reject(new Error("The connection pool closed."));
      await Promise.allSettled(idle.splice(0).map((client) => client.end()));
    },
  };
};
