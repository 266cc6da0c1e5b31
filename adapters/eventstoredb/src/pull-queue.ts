/**
 * What a push source (a live subscription) has delivered but the consumer has not taken yet.
 * Taking whatever is buffered at once is what turns a catch-up into batches while still handing
 * a lone live event over without waiting for more.
 */
export interface PullQueue<Item> {
  /**
   * Up to `max` items as soon as one is there; an empty array when none came within `waitMs`;
   * `undefined` once the source has ended or the queue was closed. Throws the source's error, but
   * only after every item it delivered before failing has been taken.
   */
  readonly take: (max: number, waitMs: number) => Promise<ReadonlyArray<Item> | undefined>;
  /** Stops pulling and wakes a pending `take`; the source itself is closed by its owner. */
  readonly close: () => void;
}

/** Pulls `source` while fewer than `capacity` items wait, so a slow consumer bounds the memory. */
export const pullQueue = <Item>(source: AsyncIterable<Item>, capacity: number): PullQueue<Item> => {
  const buffer: Item[] = [];
  let finished = false;
  let closed = false;
  let failure: { readonly error: unknown } | undefined;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;

  const wake = (which: "consumer" | "producer"): void => {
    const resume = which === "consumer" ? wakeConsumer : wakeProducer;
    if (which === "consumer") wakeConsumer = undefined;
    else wakeProducer = undefined;
    resume?.();
  };

  const pump = async (): Promise<void> => {
    try {
      for await (const item of source) {
        if (closed) return;
        buffer.push(item);
        wake("consumer");
        while (buffer.length >= capacity && !closed) {
          await new Promise<void>((resolve) => {
            wakeProducer = resolve;
          });
        }
        if (closed) return;
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      wake("consumer");
    }
  };
  void pump();

  const take: PullQueue<Item>["take"] = async (max, waitMs) => {
    if (buffer.length === 0 && !finished && !closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wakeConsumer = undefined;
          resolve();
        }, waitMs);
        wakeConsumer = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (closed) return undefined;
    if (buffer.length > 0) {
      const items = buffer.splice(0, Math.max(1, max));
      wake("producer");
      return items;
    }
    if (failure !== undefined) throw failure.error;
    return finished ? undefined : [];
  };

  return {
    take,
    close: () => {
      closed = true;
      wake("consumer");
      wake("producer");
    },
  };
};
