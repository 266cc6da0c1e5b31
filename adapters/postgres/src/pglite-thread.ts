import { Worker } from "node:worker_threads";
import {
  batchingPoster,
  fromThreadError,
  type ThreadBatch,
  type ThreadReply,
  type ThreadRequest,
} from "./pglite-thread-protocol.js";
import type { SqlClient, SqlSession } from "./sql-client.js";

type Ask = ThreadRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, "id">
    : never
  : never;

/**
 * The worker runs from TypeScript sources, as everything here does. A worker inherits tsx's loader
 * only when the process was started with it (`node --import tsx`, as the npm scripts do), not under
 * a test runner, so it registers the loader itself (a second registration changes nothing). Both
 * are resolved here, so the worker finds them whatever the working directory.
 */
const workerSource = (): string => {
  const tsx = import.meta.resolve("tsx/esm/api");
  const module = new URL("./pglite-thread-worker.ts", import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(module)}); })`;
};

/**
 * Embedded PostgreSQL on a thread of its own. PGlite computes on the thread that calls it, so in
 * the main thread every statement stalls HTTP parsing, routing and the domain for as long as it
 * runs; on a worker thread they overlap, and a machine's second core does the database's share.
 * Each call crosses threads once each way (structured clone), with the calls of the same turn of
 * the event loop in one message each way (pglite-thread-protocol.ts), which costs far less than
 * the statement it carries.
 */
export const openPgliteThread = async (dataDir?: string): Promise<SqlClient> => {
  const worker = new Worker(workerSource(), { eval: true, workerData: { dataDir } });
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (e: Error) => void }
  >();
  const listeners = new Map<string, Set<() => void>>();
  /** Told when the thread is gone, with every lock its one connection held. */
  const sessionsLost = new Set<(error: Error) => void>();
  let nextId = 1;
  let broken: Error | undefined;

  const failAll = (error: Error): void => {
    if (broken !== undefined) return;
    broken = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    for (const onLost of sessionsLost) onLost(error);
  };
  worker.on("message", (batch: ThreadBatch<ThreadReply>) => {
    for (const reply of batch) {
      if (reply.kind === "notify") {
        for (const listener of listeners.get(reply.channel) ?? []) listener();
        continue;
      }
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.kind === "done") waiting?.resolve(reply.value);
      else waiting?.reject(fromThreadError(reply.error));
    }
  });
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`The PGlite thread exited (code ${code}).`)));

  const requests = batchingPoster<ThreadRequest>(
    (batch) => worker.postMessage(batch),
    // A parameter that cannot be cloned: nothing of that request was sent.
    (request, error) => {
      const waiting = pending.get(request.id);
      pending.delete(request.id);
      waiting?.reject(error as Error);
    },
  );
  const call = <T>(ask: Ask): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (broken !== undefined) return reject(broken);
      const id = nextId++;
      // Nothing asked and unanswered: the thread is idle.
      const idle = pending.size === 0;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      requests.post({ ...ask, id } as ThreadRequest, idle);
    });

  // The worker says "ready" as request 0 once PGlite is open.
  await new Promise<unknown>((resolve, reject) => pending.set(0, { resolve, reject }));

  const query: SqlClient["query"] = (text, params = [], options) =>
    call({ kind: "query", text, params, prepare: options?.prepare === true });
  const session: SqlSession = { query, end: async () => {} };

  return {
    query,
    transaction: async (work) => {
      const tx = await call<number>({ kind: "begin" });
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work({
          query: (text, params = []) => call({ kind: "query", text, params, prepare: false, tx }),
        });
      } catch (error) {
        await call({ kind: "end", tx, commit: false }).catch(() => undefined);
        throw error;
      }
      await call({ kind: "end", tx, commit: true });
      return result;
    },
    // One connection, so one session whoever asks, as in-process (pglite-client.ts).
    session: async (onLost) => {
      sessionsLost.add(onLost);
      return session;
    },
    listen: async (channel, onNotify) => {
      let set = listeners.get(channel);
      if (set === undefined) {
        set = new Set();
        listeners.set(channel, set);
        try {
          await call({ kind: "listen", channel });
        } catch (error) {
          listeners.delete(channel);
          throw error;
        }
      }
      set.add(onNotify);
      return async () => {
        set.delete(onNotify);
        if (set.size > 0 || listeners.get(channel) !== set) return;
        listeners.delete(channel);
        await call({ kind: "unlisten", channel });
      };
    },
    // No server connections: one worker thread runs the engine.
    budget: () => ({ pool: 0, listener: 0, session: 0, thread: 1 }),
    close: async () => {
      try {
        await call({ kind: "close" });
      } finally {
        await worker.terminate();
      }
    },
  };
};
