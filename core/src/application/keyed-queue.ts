/**
 * Runs tasks one after another per key and concurrently across keys. Commands on one stream from
 * one process then never race each other, so optimistic-concurrency retries are left for races
 * between processes.
 */
export const keyedQueue = () => {
  const tails = new Map<string, Promise<unknown>>();
  return <A>(key: string, task: () => Promise<A>): Promise<A> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
};
