import type { RebuildProgress } from "@mebel/core";
import { Presets, SingleBar } from "cli-progress";
import { type Io, writeLine } from "./io.js";

const SCALE = 1_000;

/**
 * How far along the log the run is, in thousandths: positions are bigints (EventStoreDB's are
 * 128-bit), so the fraction is taken before anything becomes a number.
 */
const fraction = ({ checkpoint, head }: RebuildProgress): number =>
  head === undefined || head === 0n ? SCALE : Number(((checkpoint ?? 0n) * BigInt(SCALE)) / head);

const perSecond = (events: number, ms: number): number =>
  ms <= 0 ? 0 : Math.round((events * 1_000) / ms);

export interface ProgressReport {
  readonly update: (progress: RebuildProgress) => void;
  /** Ends the bar and prints the final line: count, time and rate. */
  readonly finish: (progress: RebuildProgress) => Promise<void>;
  /** Ends the bar, if still drawn (the run failed): its timer must not outlive the command. */
  readonly stop: () => void;
}

/**
 * A progress bar on a terminal's stderr (a pipe or a file gets none: only the final line, on
 * stdout, so scripts can read it), showing the events applied and the rate.
 */
export const progressReport = (
  io: Io,
  titles: { readonly bar: string; readonly done: string },
): ProgressReport => {
  const started = performance.now();
  const bar = io.stderr.isTTY
    ? new SingleBar(
        {
          // A terminal's stderr is a WriteStream; only isTTY is checked above.
          stream: io.stderr as unknown as NodeJS.WritableStream,
          format: `${titles.bar} [{bar}] {percentage}% | {handled} events | {rate} events/s | {duration_formatted}`,
          hideCursor: true,
        },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(SCALE, 0, { handled: 0, rate: 0 });
  const update = (progress: RebuildProgress): void => {
    bar?.update(fraction(progress), {
      handled: progress.handled,
      rate: perSecond(progress.handled, performance.now() - started),
    });
  };
  return {
    update,
    stop: () => bar?.stop(),
    finish: async (progress) => {
      update(progress);
      bar?.stop();
      const ms = performance.now() - started;
      await writeLine(
        io.stdout,
        `${titles.done}: ${progress.handled} events in ${(ms / 1_000).toFixed(2)} s (${perSecond(progress.handled, ms)} events/s)`,
      );
    },
  };
};
