import { describe, expect, it } from "vitest";
import { keyedQueue } from "./keyed-queue.js";

const later = <A>(value: A, ticks = 3): Promise<A> => {
  let p = Promise.resolve(value);
  for (let i = 0; i < ticks; i += 1) p = p.then((v) => v);
  return p;
};

describe("keyed queue", () => {
  it("runs the tasks of one key one at a time, in the order they came", async () => {
    const queue = keyedQueue();
    const log: string[] = [];
    const task = (name: string, ticks: number) => async () => {
      log.push(`start ${name}`);
      await later(undefined, ticks);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      queue("a", task("1", 5)),
      queue("a", task("2", 1)),
      queue("a", task("3", 3)),
    ]);
    expect(results).toEqual(["1", "2", "3"]);
    expect(log).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
  });

  it("runs tasks of different keys side by side", async () => {
    const queue = keyedQueue();
    const log: string[] = [];
    let release = (): void => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const a = queue("a", async () => {
      await held;
      log.push("a");
    });
    await queue("b", async () => {
      log.push("b");
    });
    release();
    await a;
    expect(log).toEqual(["b", "a"]);
  });

  it("goes on after a task that rejects or throws, and hands each caller its own outcome", async () => {
    const queue = keyedQueue();
    const failed = queue("a", () => Promise.reject(new Error("rejected")));
    const thrown = queue("a", () => {
      throw new Error("thrown");
    });
    const next = queue("a", async () => "next");
    await expect(failed).rejects.toThrow("rejected");
    await expect(thrown).rejects.toThrow("thrown");
    await expect(next).resolves.toBe("next");
    // An idle key starts at once; a throw there is a rejection too, not an exception.
    await expect(
      queue("b", () => {
        throw new Error("at once");
      }),
    ).rejects.toThrow("at once");
  });

  it("starts the task of an idle key in the caller's turn", () => {
    const queue = keyedQueue();
    let started = false;
    void queue("a", async () => {
      started = true;
    });
    expect(started).toBe(true);
  });

  it("keeps order and concurrency across many keys", async () => {
    const queue = keyedQueue();
    const seen = new Map<string, number[]>();
    const running = new Set<string>();
    const all: Promise<void>[] = [];
    for (let round = 0; round < 3; round += 1) {
      for (let k = 0; k < 3_000; k += 1) {
        const key = `k-${k % (round === 1 ? 50 : 3_000)}-${round}`;
        all.push(
          queue(key, async () => {
            expect(running.has(key)).toBe(false);
            running.add(key);
            await later(undefined, k % 3);
            seen.set(key, [...(seen.get(key) ?? []), k]);
            running.delete(key);
          }),
        );
      }
      await Promise.all(all);
    }
    for (const ks of seen.values()) expect(ks).toEqual([...ks].sort((a, b) => a - b));
    expect(seen.size).toBe(3_000 + 50 + 3_000);
  });
});
