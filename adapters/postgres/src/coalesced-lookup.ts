/**
 * Lookups by key that wait while one round is in flight and then go out together in the next
 * (the append queue's group commit, for reads): under load, many requests pricing a line share
 * one statement, and the same key is read once for all of them; a lone lookup goes out at once.
 *
 * A caller only ever joins a round that has not been sent yet, so what it reads was read after it
 * asked: a change committed before the call is always seen, as with a statement of its own.
 */
export const coalescedLookup = <Value>(
  readMany: (keys: ReadonlyArray<string>) => Promise<ReadonlyMap<string, Value>>,
  options: { readonly maxKeys?: number } = {},
): ((key: string) => Promise<Value | undefined>) => {
  const maxKeys = options.maxKeys ?? 500;
  interface Waiter {
    readonly resolve: (value: Value | undefined) => void;
    readonly reject: (error: unknown) => void;
  }
  const waiting = new Map<string, Waiter[]>();
  let inFlight = false;

  const pump = (): void => {
    if (inFlight || waiting.size === 0) return;
    const round = new Map<string, Waiter[]>();
    for (const [key, waiters] of waiting) {
      if (round.size === maxKeys) break;
      round.set(key, waiters);
      waiting.delete(key);
    }
    inFlight = true;
    readMany([...round.keys()])
      .then(
        (found) => {
          for (const [key, waiters] of round) {
            const value = found.get(key);
            for (const waiter of waiters) waiter.resolve(value);
          }
        },
        (error: unknown) => {
          for (const waiters of round.values()) for (const waiter of waiters) waiter.reject(error);
        },
      )
      .finally(() => {
        inFlight = false;
        pump();
      });
  };

  return (key) =>
    new Promise((resolve, reject) => {
      const waiters = waiting.get(key);
      if (waiters === undefined) waiting.set(key, [{ resolve, reject }]);
      else waiters.push({ resolve, reject });
      pump();
    });
};
