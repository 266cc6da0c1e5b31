import { parentPort, workerData } from "node:worker_threads";
import { openPglite } from "./pglite-client.js";
import {
  batchingPoster,
  type ThreadBatch,
  type ThreadReply,
  type ThreadRequest,
  toThreadError,
} from "./pglite-thread-protocol.js";
import type { SqlQuery } from "./sql-client.js";

/**
 * The thread that owns PGlite: it runs what the main thread asks (pglite-thread.ts) on the same
 * SqlClient the main thread would otherwise use, so prepared statements and the transaction lock
 * behave alike on both sides.
 */
const port = parentPort;
if (port === null) throw new Error("pglite-thread-worker runs as a worker thread.");
const { dataDir } = workerData as { readonly dataDir?: string };
const client = await openPglite(dataDir);

/** Every request gets exactly one answer, even one whose value cannot be cloned back. */
const replies = batchingPoster<ThreadReply>(
  (batch) => port.postMessage(batch),
  (reply, error) => {
    if (reply.kind === "done") {
      port.postMessage([{ kind: "failed", id: reply.id, error: toThreadError(error) }]);
    }
  },
  (reply) => (reply.kind === "notify" ? reply.channel : undefined),
);
const post = replies.post;
const fail = (id: number, error: unknown): void =>
  post({ kind: "failed", id, error: toThreadError(error) });
const answer = (id: number, work: () => Promise<unknown>): Promise<void> =>
  work().then(
    (value) => post({ kind: "done", id, value }),
    (error: unknown) => fail(id, error),
  );

/** An open transaction: the queries sent for it, run in order inside its callback. */
interface OpenTransaction {
  readonly push: (request: ThreadRequest) => void;
}
const transactions = new Map<number, OpenTransaction>();
let nextTransaction = 1;
const rollback = Symbol("rollback");
const closed = (): Error => new Error("Transaction is closed.");

const begin = (id: number): void => {
  const tx = nextTransaction++;
  const inbox: ThreadRequest[] = [];
  let wake: (() => void) | undefined;
  transactions.set(tx, {
    push: (request) => {
      inbox.push(request);
      wake?.();
    },
  });
  const next = async (): Promise<ThreadRequest> => {
    while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return inbox.shift() as ThreadRequest;
  };
  let endId = id;
  const work = async (query: SqlQuery): Promise<void> => {
    post({ kind: "done", id, value: tx });
    for (;;) {
      const request = await next();
      if (request.kind === "end") {
        endId = request.id;
        // Whatever comes for this transaction from now on is refused, not left waiting.
        transactions.delete(tx);
        if (!request.commit) throw rollback;
        return;
      }
      if (request.kind === "query") {
        await answer(request.id, () => query.query(request.text, request.params));
      }
    }
  };
  void client
    .transaction(work)
    .then(
      () => post({ kind: "done", id: endId, value: undefined }),
      (error: unknown) =>
        error === rollback
          ? post({ kind: "done", id: endId, value: undefined })
          : fail(endId, error),
    )
    .finally(() => {
      transactions.delete(tx);
      for (const left of inbox.splice(0)) fail(left.id, closed());
    });
};

const toTransaction = (tx: number, request: ThreadRequest): void => {
  const open = transactions.get(tx);
  if (open !== undefined) open.push(request);
  else fail(request.id, closed());
};

const listening = new Map<string, () => Promise<void>>();

const handle = (request: ThreadRequest): void => {
  switch (request.kind) {
    case "query":
      if (request.tx !== undefined) {
        toTransaction(request.tx, request);
        return;
      }
      void answer(request.id, () =>
        client.query(request.text, request.params, { prepare: request.prepare }),
      );
      return;
    case "begin":
      begin(request.id);
      return;
    case "end":
      toTransaction(request.tx, request);
      return;
    case "listen":
      void answer(request.id, async () => {
        const stop = await client.listen(request.channel, () =>
          post({ kind: "notify", channel: request.channel }),
        );
        listening.set(request.channel, stop);
      });
      return;
    case "unlisten":
      void answer(request.id, async () => {
        await listening.get(request.channel)?.();
        listening.delete(request.channel);
      });
      return;
    case "close":
      void answer(request.id, () => client.close());
      return;
  }
};
port.on("message", (batch: ThreadBatch<ThreadRequest>) => {
  for (const request of batch) handle(request);
});
post({ kind: "done", id: 0, value: "ready" });
