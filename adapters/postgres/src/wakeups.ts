/**
 * Wakes live subscribers when something may have been appended: on a NOTIFY where the driver can
 * listen, and in any case every `pollMs`, so a lost notification only delays, never strands.
 */
export interface Wakeups {
  /** Counts wake-ups: read it before a query, then `wait` only sleeps if nothing came since. */
  readonly generation: () => number;
  readonly wait: (seen: number) => { readonly promise: Promise<void>; readonly cancel: () => void };
  readonly wake: () => void;
}

export const createWakeups = (pollMs: number): Wakeups => {
  let generation = 0;
  const sleepers = new Set<() => void>();
  return {
    generation: () => generation,
    wake: () => {
      generation += 1;
      for (const resolve of sleepers) resolve();
      sleepers.clear();
    },
    wait: (seen) => {
      if (seen !== generation) return { promise: Promise.resolve(), cancel: () => {} };
      let cancel = (): void => {};
      const promise = new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done(): void {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        }
        sleepers.add(done);
        cancel = done;
      });
      return { promise, cancel };
    },
  };
};
