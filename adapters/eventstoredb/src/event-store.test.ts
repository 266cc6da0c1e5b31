import { ErrorType, UnavailableError } from "@eventstore/db-client";
import type { EventMetadata, EventToAppend } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { createEventStoreDbEventStore } from "./event-store.js";
import { createFakeClient } from "./fake-client.js";
import { CHECKPOINT_CATEGORY } from "./mapping.js";
import { rightOf } from "./test-results.js";

// The adapter's own logic over a stand-in client; the contract suite runs it against a server.

const metadata = {
  correlationId: "c-1",
  causationId: "k-1",
  occurredAt: "2026-11-23T10:00:00.000Z",
} as EventMetadata;
let ids = 0;
const event = (type = "OrderCreated"): EventToAppend => {
  ids += 1;
  return {
    eventId: `6f0e1c4a-0000-4000-8000-${ids.toString().padStart(12, "0")}`,
    type,
    data: { n: ids },
    metadata,
  };
};

const setup = () => {
  const fake = createFakeClient();
  return { fake, store: createEventStoreDbEventStore(fake.client) };
};

describe("append", () => {
  it("returns the next expected revision and the position the event is read back at", async () => {
    const { store } = setup();
    const first = rightOf(await store.append("Order-1", [event(), event()], "no_stream"));
    const [, second] = await store.readStream("Order-1");
    expect(first).toEqual({ nextExpectedRevision: 1n, position: second?.position });
  });

  it("reports a lost race as WRONG_EXPECTED_REVISION with the actual revision", async () => {
    const { store } = setup();
    rightOf(await store.append("Order-1", [event()], "no_stream"));
    const conflict = await store.append("Order-1", [event()], "no_stream");
    expect(conflict).toEqual(
      E.left(
        expect.objectContaining({
          code: "WRONG_EXPECTED_REVISION",
          details: { streamName: "Order-1", expected: "no_stream", actual: 0n },
        }),
      ),
    );
  });

  it("acknowledges a repeat of the same ids with the original revision and position", async () => {
    const { store } = setup();
    const events = [event(), event()];
    const first = rightOf(await store.append("Order-1", events, "no_stream"));
    const again = rightOf(await store.append("Order-1", events, "no_stream"));
    expect(again).toEqual(first);
    expect(await store.readStream("Order-1")).toHaveLength(2);
  });

  it("retries a lost connection with the very same event ids when the revision is exact", async () => {
    const { fake, store } = setup();
    fake.failNextAppend(new UnavailableError(undefined, "down"));
    rightOf(await store.append("Order-1", [event()], "no_stream"));
    const [failed, retried] = fake.appendCalls();
    expect(retried?.ids).toEqual(failed?.ids);
  });

  it("does not retry a lost connection when the server could not recognise a repeat", async () => {
    const { fake, store } = setup();
    const down = new UnavailableError(undefined, "down");
    fake.failNextAppend(down);
    await expect(store.append("Order-1", [event()], "any")).rejects.toMatchObject({
      name: "StoreUnavailableError",
      cause: down,
    });
    expect(fake.appendCalls()).toHaveLength(1);
  });

  it("retries after a leader change whatever the expectation: nothing was written", async () => {
    const { fake, store } = setup();
    fake.failNextAppend(Object.assign(new Error("not leader"), { type: ErrorType.NOT_LEADER }));
    rightOf(await store.append("Order-1", [event()], "any"));
    expect(fake.appendCalls()).toHaveLength(2);
  });

  it("throws on an empty append and on an id the server cannot take", async () => {
    const { store } = setup();
    await expect(store.append("Order-1", [], "any")).rejects.toThrow(TypeError);
    await expect(
      store.append("Order-1", [{ ...event(), eventId: "not-a-uuid" }], "any"),
    ).rejects.toThrow(/UUID/);
  });
});

describe("readStream", () => {
  it("reads a missing stream as no events", async () => {
    const { store } = setup();
    expect(await store.readStream("Order-none")).toEqual([]);
  });

  it("reads forwards from a revision, backwards from the end, at most maxCount", async () => {
    const { store } = setup();
    rightOf(await store.append("Order-1", [event(), event(), event(), event()], "no_stream"));
    const revisions = async (options: Parameters<typeof store.readStream>[1]) =>
      (await store.readStream("Order-1", options)).map((e) => Number(e.revision));
    expect(await revisions({})).toEqual([0, 1, 2, 3]);
    expect(await revisions({ fromRevision: 2n })).toEqual([2, 3]);
    expect(await revisions({ fromRevision: 1n, maxCount: 2 })).toEqual([1, 2]);
    expect(await revisions({ direction: "backwards", maxCount: 3 })).toEqual([3, 2, 1]);
    expect(await revisions({ direction: "backwards", fromRevision: 1n })).toEqual([1, 0]);
    expect(await revisions({ maxCount: 0 })).toEqual([]);
  });
});

describe("readAll", () => {
  const seed = async () => {
    const { fake, store } = setup();
    rightOf(await store.append("Order-1", [event()], "no_stream"));
    fake.write("$stats-node", "$statsCollected");
    rightOf(await store.append("StockItem-s1", [event("StockReceived")], "no_stream"));
    fake.write(`${CHECKPOINT_CATEGORY}-projector`, "CheckpointStored");
    rightOf(await store.append("Order-2", [event()], "no_stream"));
    const tail = fake.write("Order-2", "$>");
    return { fake, store, tail };
  };

  it("returns our events in order, hiding system events and checkpoints", async () => {
    const { store } = await seed();
    const page = await store.readAll();
    expect(page.events.map((e) => e.streamName)).toEqual(["Order-1", "StockItem-s1", "Order-2"]);
    expect(page.isEnd).toBe(true);
  });

  it("reads strictly after a position and pages by maxCount until the end", async () => {
    const { store } = await seed();
    const first = await store.readAll({ maxCount: 2 });
    expect(first.events.map((e) => e.streamName)).toEqual(["Order-1", "StockItem-s1"]);
    expect(first.isEnd).toBe(false);
    // Past the checkpoint event behind StockItem-s1 too, but short of Order-2.
    expect(first.position).toBeGreaterThan(first.events[1]?.position as bigint);
    const second = await store.readAll({ after: first.position as bigint, maxCount: 2 });
    expect(second.events.map((e) => e.streamName)).toEqual(["Order-2"]);
    expect(second.isEnd).toBe(true);
    const last = await store.readAll({ after: second.position as bigint });
    expect(last).toEqual({ events: [], isEnd: true });
  });

  it("filters by category and still reports how far it scanned", async () => {
    const { fake, store, tail } = await seed();
    const page = await store.readAll({ categories: ["Order"] });
    expect(page.events.map((e) => e.streamName)).toEqual(["Order-1", "Order-2"]);
    const newest = await store.readAll({ after: page.position as bigint });
    expect(newest.events).toEqual([]);
    const delivery = await store.readAll({ categories: ["Delivery"] });
    expect(delivery.events).toEqual([]);
    // Past everything scanned, the `$>` at the end included: a safe checkpoint though nothing matched.
    expect(delivery.position).toBe(fake.packed(tail));
    expect(delivery.isEnd).toBe(true);
  });

  it("cancels the server call when it stops before the end", async () => {
    const { fake, store } = await seed();
    await store.readAll({ maxCount: 1 });
    expect(fake.cancelledReads()).toBe(1);
  });
});

describe("head", () => {
  it("is undefined for a store without events of ours", async () => {
    const { fake, store } = setup();
    expect(await store.head()).toBeUndefined();
    fake.write("$stats-node", "$statsCollected");
    expect(await store.head()).toBeUndefined();
  });

  it("is the position of the newest event of ours, past any number of system events", async () => {
    const { fake, store } = setup();
    const appended = rightOf(await store.append("Order-1", [event()], "no_stream"));
    for (let i = 0; i < 150; i += 1) fake.write("$stats-node", "$statsCollected");
    expect(await store.head()).toBe(appended.position);
  });
});
