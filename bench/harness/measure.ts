import type { Profile } from "./profile.js";

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) throw new RangeError("The median of nothing.");
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** One operation of a worker; what it returns is how many units (events, commands) it did. */
export type Operation = (worker: number) => Promise<number>;

/**
 * Units per second of `concurrency` loops, each awaiting `op` back to back until `ms` are up.
 * The clock stops when the last operation in flight ends, so an overrun is counted, not lost.
 */
export const rate = async (op: Operation, ms: number, concurrency: number): Promise<number> => {
  const started = performance.now();
  const end = started + ms;
  let units = 0;
  const loop = async (worker: number): Promise<void> => {
    while (performance.now() < end) {
      // Not `units += await op()`: that reads `units` before the await and loses the other
      // loops' counts.
      const done = await op(worker);
      units += done;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, worker) => loop(worker)));
  return units / ((performance.now() - started) / 1_000);
};

export interface Paired {
  readonly value: number;
  readonly baseline: number;
}

/**
 * The subject beside its baseline: both warmed up, then rounds alternating which goes first
 * (ABBA), so drift on a shared, noisy server falls on both sides alike. Medians of the rounds.
 */
export const paired = async (
  profile: Profile,
  subject: Operation,
  baseline: Operation,
  concurrency = 1,
): Promise<Paired> => {
  await rate(baseline, profile.warmupMs, concurrency);
  await rate(subject, profile.warmupMs, concurrency);
  const values: number[] = [];
  const baselines: number[] = [];
  for (let round = 0; round < profile.rounds; round += 1) {
    if (round % 2 === 0) {
      baselines.push(await rate(baseline, profile.roundMs, concurrency));
      values.push(await rate(subject, profile.roundMs, concurrency));
    } else {
      values.push(await rate(subject, profile.roundMs, concurrency));
      baselines.push(await rate(baseline, profile.roundMs, concurrency));
    }
  }
  return { value: median(values), baseline: median(baselines) };
};

/** Median wall time in milliseconds of `times` runs of `work`, for things too slow to count. */
export const timed = async (work: () => Promise<unknown>, times: number): Promise<number> => {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return median(samples);
};
