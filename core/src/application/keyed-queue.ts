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
