import { describe, expect, it } from "vitest";
import { batchingPoster, type ThreadBatch } from "./pglite-thread-protocol.js";

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("pglite thread: messages batched by turn", () => {
  it("posts what is sent in one turn as one message, in order", async () => {
    const sent: Array<ThreadBatch<number>> = [];
    const poster = batchingPoster<number>(
      (batch) => sent.push(batch),
      () => {},
    );
    poster.post(1);
    poster.post(2);
    poster.post(3);
    expect(sent).toEqual([]);
    await turn();
    poster.post(4);
    await turn();
    expect(sent).toEqual([[1, 2, 3], [4]]);
  });

  it("posts at once to an idle receiver, unless something is already waiting to go", async () => {
    const sent: Array<ThreadBatch<number>> = [];
    const poster = batchingPoster<number>(
      (batch) => sent.push(batch),
      () => {},
    );
    poster.post(1, true);
    expect(sent).toEqual([[1]]);
    poster.post(2);
    poster.post(3, true);
    await turn();
    expect(sent).toEqual([[1], [2, 3]]);
  });

  it("says a keyed item once per message", async () => {
    const sent: Array<ThreadBatch<string>> = [];
    const poster = batchingPoster<string>(
      (batch) => sent.push(batch),
      () => {},
      (item) => (item.startsWith("wake:") ? item : undefined),
    );
    for (const item of ["wake:a", "x", "wake:a", "wake:b", "y", "wake:a"]) poster.post(item);
    await turn();
    poster.post("wake:a");
    await turn();
    expect(sent).toEqual([["wake:a", "x", "wake:b", "y"], ["wake:a"]]);
  });

  it("sends each alone when the batch cannot go, and refuses only those that cannot", async () => {
    const sent: Array<ThreadBatch<unknown>> = [];
    const refused: unknown[] = [];
    const poster = batchingPoster<unknown>(
      (batch) => {
        // What structured clone refuses.
        if (batch.some((item) => typeof item === "function")) throw new Error("cannot clone");
        sent.push(batch);
      },
      (item) => refused.push(item),
    );
    const fn = () => {};
    poster.post(1);
    poster.post(fn);
    poster.post(2);
    await turn();
    expect(sent).toEqual([[1], [2]]);
    expect(refused).toEqual([fn]);
  });
});
