/**
 * Runs tasks one after another per key and concurrently across keys. Commands on one stream from
 * one process then never race each other, so optimistic-concurrency retries are left for races
 * between processes.
 *
 * A task for an idle key starts at once, in the caller's turn: chaining every task onto the
 * previous one's promise cost three promise hops per command even when nothing was waiting, which
 * is the usual case. Only a key with a task in flight gets a line of waiters.
 */
export const keyedQueue = () => {
  // Present while a task of the key runs: null until another task waits behind it, then the
  // waiting tasks in order.
  const busy = new Map<string, Array<() => void> | null>();

  const release = (key: string): void => {
    const next = busy.get(key)?.shift();
    if (next === undefined) busy.delete(key);
    else next();
  };
  // Made by a call rather than bound to a name: a transpiler that keeps function names (tsx does)
  // would otherwise define a name on a fresh closure for every task, which costs more than the task.
  const releaser = (key: string) => () => release(key);

  const start = <A>(key: string, task: () => Promise<A>): Promise<A> => {
    let run: Promise<A>;
    try {
      run = task();
    } catch (error) {
      run = Promise.reject(error);
    }
    const done = releaser(key);
    run.then(done, done);
    return run;
  };

  return <A>(key: string, task: () => Promise<A>): Promise<A> => {
    const waiting = busy.get(key);
    if (waiting === undefined) {
      busy.set(key, null);
      return start(key, task);
    }
    return new Promise<A>((resolve, reject) => {
      const next = (): void => {
        start(key, task).then(resolve, reject);
      };
      if (waiting === null) busy.set(key, [next]);
      else waiting.push(next);
    });
  };
};

/**
 * Like the keyed queue, but the tasks waiting on a key when it falls idle are handed over together,
 * as many as `take` allows, so that a busy stream is decided in batches rather than one command per
 * round trip. An idle key's item still starts at once, alone, in the caller's turn.
 *
 * `run` answers one result per item, in order; if it throws, every item of the batch is refused
 * with that error.
 */
export const keyedBatches = <Item, Result>(
  run: (key: string, items: ReadonlyArray<Item>) => Promise<ReadonlyArray<Result>>,
  /** How many of the waiting items (at least one is given) go into the next batch. */
  take: (waiting: ReadonlyArray<Item>) => number,
) => {
  interface Waiter {
    readonly item: Item;
    readonly resolve: (result: Result) => void;
    readonly reject: (error: unknown) => void;
  }
  // Present while a batch of the key runs: the items waiting behind it.
  const lines = new Map<string, Waiter[]>();

  const drain = (key: string): void => {
    const line = lines.get(key);
    if (line === undefined || line.length === 0) {
      lines.delete(key);
      return;
    }
    const items = line.map((waiter) => waiter.item);
    const batch = line.splice(0, Math.max(1, Math.min(line.length, take(items))));
    let running: Promise<ReadonlyArray<Result>>;
    try {
      running = run(
        key,
        batch.length === items.length ? items : batch.map((waiter) => waiter.item),
      );
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (results) => {
        for (const [i, waiter] of batch.entries()) waiter.resolve(results[i] as Result);
        drain(key);
      },
      (error: unknown) => {
        for (const waiter of batch) waiter.reject(error);
        drain(key);
      },
    );
  };

  return (key: string, item: Item): Promise<Result> =>
    new Promise<Result>((resolve, reject) => {
      const line = lines.get(key);
      if (line !== undefined) {
        line.push({ item, resolve, reject });
        return;
      }
      lines.set(key, [{ item, resolve, reject }]);
      drain(key);
    });
};
