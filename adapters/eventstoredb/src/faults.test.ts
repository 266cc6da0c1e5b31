import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  UnavailableError,
  UnknownError,
} from "@eventstore/db-client";
import { type EventToAppend, isStoreUnavailable, type StoredEvent } from "@mebel/core";
import { collect, newEvent, newEvents, uniqueStream, waitUntil } from "@mebel/store-contract";
import { describe, expect, it } from "vitest";
import { createEventStoreDbCheckpointStore } from "./checkpoint-store.js";
import { createEventStoreDbEventStore } from "./event-store.js";
import { createFakeClient, type FakeServerOptions, type ServerFault } from "./fake-client.js";
import { unpackPosition } from "./mapping.js";
import { codeOf, rejectionOf, rightOf } from "./test-results.js";

// Faults of the server and the network, raised by the stand-in as the 6.2.1 client raises them
// (its own error classes), through the adapter. A live server cannot be made to fail on cue, so
// these run on the stand-in only; connect.test.ts shows the real client against no server at all.

type ErrorClass = abstract new (...args: never[]) => unknown;

const setup = (options: FakeServerOptions = {}) => {
  const fake = createFakeClient(options);
  return {
    fake,
    store: createEventStoreDbEventStore(fake.client),
    checkpoints: createEventStoreDbCheckpointStore(fake.client),
  };
};

/** Rejects with StoreUnavailableError whose cause is the client's error of this class. */
const expectUnavailable = async (call: Promise<unknown>, cause: ErrorClass): Promise<void> => {
  const error = await rejectionOf(call);
  expect(isStoreUnavailable(error)).toBe(true);
  expect((error as Error).cause).toBeInstanceOf(cause);
};

describe("appends on the batch path (the client's default on 23.x/24.x)", () => {
  it.each<[ServerFault, ErrorClass]>([
    ["no-leader", UnknownError],
    ["too-busy", UnknownError],
    ["not-ready", UnknownError],
    ["not-leader", NotLeaderError],
  ])(
    "retry a %s answer whatever the expectation: the server never handled it",
    async (fault, raised) => {
      const { fake, store } = setup();
      fake.failNextAppend(fault);
      const stream = uniqueStream();
      rightOf(await store.append(stream, [newEvent()], "any"));
      const [failed, retried] = fake.appendCalls();
      expect(failed?.path).toBe("batch");
      expect(retried?.ids).toEqual(failed?.ids);
      expect(await store.readStream(stream)).toHaveLength(1);
      // The stand-in raised it as the client would: an unknown error on this path, for three.
      fake.failNextAppend(fault);
      const error = await rejectionOf(fake.client.appendToStream(stream, []));
      expect(error).toBeInstanceOf(raised);
    },
  );

  it("give up after three attempts with StoreUnavailableError, the client's error as cause", async () => {
    const { fake, store } = setup();
    for (let i = 0; i < 3; i += 1) fake.failNextAppend("no-leader");
    await expectUnavailable(store.append(uniqueStream(), [newEvent()], "no_stream"), UnknownError);
    expect(fake.appendCalls()).toHaveLength(3);
  });

  it("leave an unknown error that is not one of those as it is", async () => {
    const { fake, store } = setup();
    const odd = new UnknownError(undefined, "Could not recognize Something else");
    fake.failNextAppend(odd);
    await expect(store.append(uniqueStream(), [newEvent()], "no_stream")).rejects.toBe(odd);
    expect(fake.appendCalls()).toHaveLength(1);
  });
});

describe("appends on the classic path (per-call credentials, servers before 21.10)", () => {
  it.each<[ServerFault, ErrorClass]>([
    ["no-leader", UnavailableError],
    ["not-leader", NotLeaderError],
  ])("retry a %s answer, raised as the client raises it there", async (fault, raised) => {
    const { fake, store } = setup({ batchAppend: false });
    fake.failNextAppend(fault);
    rightOf(await store.append(uniqueStream(), [newEvent()], "no_stream"));
    expect(fake.appendCalls().map((c) => c.path)).toEqual(["classic", "classic"]);
    fake.failNextAppend(fault);
    expect(await rejectionOf(fake.client.appendToStream("Order-1", []))).toBeInstanceOf(raised);
  });
});

describe("appends whose outcome is unknown", () => {
  it.each<[ServerFault, ErrorClass]>([
    ["connection-lost", UnavailableError],
    ["timeout", DeadlineExceededError],
    ["cancelled", CancelledError],
  ])("after %s, are sent again with the same ids when the revision is exact", async (fault) => {
    const { fake, store } = setup();
    fake.failNextAppend(fault);
    const stream = uniqueStream();
    rightOf(await store.append(stream, newEvents(2), "no_stream"));
    const [failed, retried] = fake.appendCalls();
    expect(retried?.ids).toEqual(failed?.ids);
  });

  it.each<[ServerFault, ErrorClass]>([
    ["connection-lost", UnavailableError],
    ["timeout", DeadlineExceededError],
    ["refused", Error],
  ])(
    "after %s, are StoreUnavailableError at once with any: a repeat could duplicate",
    async (fault, cause) => {
      const { fake, store } = setup();
      fake.failNextAppend(fault);
      await expectUnavailable(store.append(uniqueStream(), [newEvent()], "any"), cause);
      expect(fake.appendCalls()).toHaveLength(1);
    },
  );
});

describe("what stays as it was", () => {
  it("a lost race is WRONG_EXPECTED_REVISION, access denied is the client's error", async () => {
    const { fake, store } = setup();
    const stream = uniqueStream();
    rightOf(await store.append(stream, [newEvent()], "no_stream"));
    const conflict = await store.append(stream, [newEvent()], "no_stream");
    expect(codeOf(conflict)).toBe("WRONG_EXPECTED_REVISION");
    const denied = new AccessDeniedError();
    fake.failNextAppend(denied);
    await expect(store.append(stream, [newEvent()], 0n)).rejects.toBe(denied);
  });

  it("a subscription the server refuses for good ends with the client's error", async () => {
    const { fake, store } = setup();
    const denied = new AccessDeniedError();
    fake.failNextSubscribe(denied);
    const seen = collect(store, { categories: ["Order"] });
    await expect(seen.subscription.done).rejects.toBe(denied);
  });

  it("a handler's own failure ends a subscription with that failure", async () => {
    const { store } = setup();
    const stream = uniqueStream();
    rightOf(await store.append(stream, [newEvent()], "no_stream"));
    const bug = new TypeError("a bug in the handler");
    const seen = collect(store, { categories: [stream.split("-")[0] as string] }, async () => {
      throw bug;
    });
    await expect(seen.subscription.done).rejects.toBe(bug);
  });
});

describe("reads", () => {
  it.each<[ServerFault, ErrorClass]>([
    ["connection-lost", UnavailableError],
    ["not-leader", NotLeaderError],
    ["timeout", DeadlineExceededError],
    ["cancelled", CancelledError],
  ])(
    "report %s as StoreUnavailableError from readStream, readAll and head",
    async (fault, cause) => {
      const { fake, store } = setup();
      const stream = uniqueStream();
      rightOf(await store.append(stream, [newEvent()], "no_stream"));
      fake.failNextRead(fault);
      await expectUnavailable(store.readStream(stream), cause);
      fake.failNextRead(fault);
      await expectUnavailable(store.readAll(), cause);
      fake.failNextRead(fault);
      await expectUnavailable(store.head(), cause);
      expect(await store.readStream(stream)).toHaveLength(1);
    },
  );
});

describe("subscriptions", () => {
  it.each<[ServerFault, ErrorClass]>([
    ["connection-lost", UnavailableError],
    ["not-leader", NotLeaderError],
    ["cancelled", CancelledError],
    // How the server drops a subscriber that reads too slowly.
    ["timeout", DeadlineExceededError],
  ])(
    "end with StoreUnavailableError when %s drops them, after what they delivered",
    async (fault, cause) => {
      const { fake, store } = setup();
      const stream = uniqueStream();
      const category = stream.split("-")[0] as string;
      rightOf(await store.append(stream, newEvents(2), "no_stream"));
      const seen = collect(store, { categories: [category] });
      await waitUntil("the backlog arrives", () => seen.events.length === 2);
      fake.dropSubscriptions(fault);
      await expectUnavailable(seen.subscription.done, cause);
      expect(seen.events).toHaveLength(2);
    },
  );

  it("end with StoreUnavailableError when they cannot be opened", async () => {
    const { fake, store } = setup();
    fake.failNextSubscribe("not-leader");
    const seen = collect(store, { categories: ["Order"] });
    await expectUnavailable(seen.subscription.done, NotLeaderError);
  });

  it("end with StoreUnavailableError when the head they start from cannot be read", async () => {
    const { fake, store } = setup();
    fake.failNextRead("connection-lost");
    const seen = collect(store, { categories: ["Order"] });
    await expectUnavailable(seen.subscription.done, UnavailableError);
  });

  it("learn server checkpoints as (commit, 0), and resume after one without a repeat", async () => {
    const { store } = setup();
    const seen = collect(store, { categories: ["Quiet"] });
    for (let i = 0; i < 6; i += 1) {
      rightOf(await store.append(uniqueStream("Busy"), newEvents(100), "no_stream"));
    }
    await waitUntil("a checkpoint arrives", () => seen.batches.length >= 2);
    await seen.subscription.stop();
    const checkpoints = seen.batches.map((b) => unpackPosition(b.position));
    expect(checkpoints.every((p) => p.prepare === 0n)).toBe(true);
    const at = seen.batches.at(-1)?.position as bigint;
    const ours = rightOf(await store.append(uniqueStream("Quiet"), [newEvent()], "no_stream"));
    const resumed = collect(store, { after: at, categories: ["Quiet"] });
    await waitUntil("our event arrives", () => resumed.events.length >= 1);
    await resumed.subscription.stop();
    expect(resumed.events.map((e: StoredEvent) => e.position)).toEqual([ours.position]);
  });
});

describe("the checkpoint store", () => {
  it("reports a fault on load and on save as StoreUnavailableError", async () => {
    const { fake, checkpoints } = setup();
    fake.failNextRead("connection-lost");
    await expectUnavailable(checkpoints.load("projector"), UnavailableError);
    fake.failNextAppend("no-leader");
    await expectUnavailable(checkpoints.save("projector", 5n), UnknownError);
    await checkpoints.save("projector", 6n);
    expect(await checkpoints.load("projector")).toBe(6n);
  });

  it("names a tombstoned checkpoint stream", async () => {
    const { fake, checkpoints } = setup();
    await checkpoints.save("projector", 1n);
    await fake.client.tombstoneStream("MebelCheckpoint-projector");
    expect(await rejectionOf(checkpoints.load("projector"))).toMatchObject({
      code: "STREAM_DELETED",
    });
  });
});

describe("the stand-in server", () => {
  it("forgets the ids of recent appends on restart: a repeat with any is then written again", async () => {
    const { fake, store } = setup();
    const stream = uniqueStream();
    const batch = newEvents(2);
    rightOf(await store.append(stream, batch, "any"));
    rightOf(await store.append(stream, batch, "any"));
    expect(await store.readStream(stream)).toHaveLength(2);
    fake.restart();
    rightOf(await store.append(stream, batch, "any"));
    expect(await store.readStream(stream)).toHaveLength(4);
  });

  it("refuses an append over its own configured limit: the same RangeError as the adapter's", async () => {
    const { store } = setup({ maxAppendSize: 4_096 });
    const big: EventToAppend = newEvent({ blob: "x".repeat(5_000) });
    const error = await rejectionOf(store.append(uniqueStream(), [big], "no_stream"));
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(/exceeds the limit of 4096 bytes/);
    expect((error as Error).cause).toBeInstanceOf(MaxAppendSizeExceededError);
  });
});
