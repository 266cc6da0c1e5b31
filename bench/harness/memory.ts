import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// A full collection before a memory reading, so garbage left by earlier work is not counted.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

const mebibytes = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * Follows the process's memory while work runs. `peak` is the highest resident set so far over
 * the one at the start, sampled every few milliseconds; `retained` collects garbage and says how
 * much more heap is live than at the start. Bounded memory shows as figures that stay flat
 * however much of the log has been read.
 */
export const watchMemory = (everyMs = 5) => {
  collect();
  const startRss = process.memoryUsage.rss();
  const startHeap = process.memoryUsage().heapUsed;
  let peak = startRss;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, everyMs);
  return {
    peak: (): number => {
      sample();
      return mebibytes(peak - startRss);
    },
    retained: (): number => {
      collect();
      return mebibytes(process.memoryUsage().heapUsed - startHeap);
    },
    stop: (): void => clearInterval(timer),
  };
};
