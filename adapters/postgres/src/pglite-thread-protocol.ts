/** What the main thread asks of the thread that runs PGlite (see pglite-thread.ts). */
export type ThreadRequest =
  | {
      readonly id: number;
      readonly kind: "query";
      readonly text: string;
      readonly params: ReadonlyArray<unknown>;
      readonly prepare: boolean;
      /** The open transaction this query belongs to, if any. */
      readonly tx?: number;
    }
  | { readonly id: number; readonly kind: "begin" }
  | { readonly id: number; readonly kind: "end"; readonly tx: number; readonly commit: boolean }
  | { readonly id: number; readonly kind: "listen"; readonly channel: string }
  | { readonly id: number; readonly kind: "unlisten"; readonly channel: string }
  | { readonly id: number; readonly kind: "close" };

/** An error as it crosses threads: its message, name and own fields (a PostgreSQL `code`, say). */
export interface ThreadError {
  readonly message: string;
  readonly name: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export type ThreadReply =
  | { readonly kind: "done"; readonly id: number; readonly value: unknown }
  | { readonly kind: "failed"; readonly id: number; readonly error: ThreadError }
  | { readonly kind: "notify"; readonly channel: string };

/**
 * What one message carries either way: whatever was sent in one turn of the sender's event loop.
 * A message costs the sender and the receiver a few microseconds each, and wakes the receiver's
 * thread, which on a machine with as many busy threads as cores is a context switch.
 */
export type ThreadBatch<T> = ReadonlyArray<T>;

/**
 * Collects what is sent during one turn of the event loop and posts it as one message at its end
 * (`setImmediate`: after the I/O callbacks of the turn, which may each send). If the batch cannot
 * be cloned, each goes alone, and `refused` hears of those that cannot. Items of one batch with
 * the same `once` key go once (a wake-up said twice in a turn says no more than once).
 */
export const batchingPoster = <T>(
  postMessage: (batch: ThreadBatch<T>) => void,
  refused: (item: T, error: unknown) => void,
  once: (item: T) => string | undefined = () => undefined,
) => {
  let outbox: T[] = [];
  const said = new Set<string>();
  const flush = (): void => {
    const batch = outbox;
    outbox = [];
    said.clear();
    try {
      postMessage(batch);
    } catch {
      for (const item of batch) {
        try {
          postMessage([item]);
        } catch (error) {
          refused(item, error);
        }
      }
    }
  };
  return {
    /**
     * `now`: the receiver is idle, with nothing to do until this arrives, so waiting for the turn
     * to end would only delay it (unless something is already waiting to go, which goes first).
     */
    post: (item: T, now = false): void => {
      const key = once(item);
      if (key !== undefined) {
        if (said.has(key)) return;
        said.add(key);
      }
      if (now && outbox.length === 0) {
        try {
          postMessage([item]);
        } catch (error) {
          refused(item, error);
        }
        said.clear();
        return;
      }
      if (outbox.push(item) === 1) setImmediate(flush);
    },
    /** What is queued, now: before the thread is told to stop, say. */
    flush: (): void => {
      if (outbox.length > 0) flush();
    },
  };
};

export const toThreadError = (error: unknown): ThreadError => {
  if (!(error instanceof Error)) return { message: String(error), name: "Error", fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
      fields[key] = value;
    }
  }
  return { message: error.message, name: error.name, fields };
};

export const fromThreadError = ({ message, name, fields }: ThreadError): Error =>
  Object.assign(new Error(message), fields, { name });
