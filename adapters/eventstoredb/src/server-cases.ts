import { randomUUID } from "node:crypto";
import { type EventStoreDBClient, jsonEvent } from "@eventstore/db-client";
import {
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  MAX_APPEND_BYTES,
} from "@mebel/core";
import {
  collect,
  newEvent,
  newEvents,
  uniqueCategory,
  uniqueStream,
  waitUntil,
} from "@mebel/store-contract";
import { describe, expect, it } from "vitest";
import { createEventStoreDbEventStore } from "./event-store.js";
import { codeOf, rejectionOf, rightOf } from "./test-results.js";

/**
 * What the server does that a kinder stand-in would hide (issue 18), through the adapter. The
 * same cases run over the stand-in client on every run and against a live server whenever
 * EVENTSTORE_URL names one, so a difference between the two shows as a failure on the server.
 */
export interface ServerCaseSetup {
  readonly client: EventStoreDBClient;
  readonly store: EventStore;
  /** How many appends reached the client, where the setup can tell (the stand-in can). */
  readonly appendsSent?: () => number;
}

export const describeServerCases = (name: string, setup: () => ServerCaseSetup): void => {
  describe(`${name}: what the server does`, () => {
    describe("idempotent re-append", () => {
      it("with an exact revision, recognises only ids that sit right after it, all of them", async () => {
        const { store } = setup();
        const stream = uniqueStream();
        rightOf(await store.append(stream, [newEvent()], "no_stream"));
        const [b, c] = newEvents(2) as [EventToAppend, EventToAppend];
        const first = rightOf(await store.append(stream, [b, c], 0n));
        expect(rightOf(await store.append(stream, [b, c], 0n))).toEqual(first);
        // A part of it, in its place, is a repeat too.
        expect(rightOf(await store.append(stream, [c], 1n)).nextExpectedRevision).toBe(2n);
        const partial = await store.append(stream, [b, newEvent()], 0n);
        expect(codeOf(partial)).toBe("WRONG_EXPECTED_REVISION");
        const misplaced = await store.append(stream, [b, c], 1n);
        expect(codeOf(misplaced)).toBe("WRONG_EXPECTED_REVISION");
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it("with no_stream, recognises the stream's first events only", async () => {
        const { store } = setup();
        const stream = uniqueStream();
        const batch = newEvents(2);
        rightOf(await store.append(stream, batch, "no_stream"));
        const longer = await store.append(stream, [...batch, newEvent()], "no_stream");
        expect(codeOf(longer)).toBe("WRONG_EXPECTED_REVISION");
        const later = await store.append(stream, batch.slice(1), "no_stream");
        expect(codeOf(later)).toBe("WRONG_EXPECTED_REVISION");
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it("with any, recognises a recent repeat, and refuses one that is partly new", async () => {
        const { store } = setup();
        const stream = uniqueStream();
        const batch = newEvents(2);
        const first = rightOf(await store.append(stream, batch, "any"));
        expect(rightOf(await store.append(stream, batch, "any"))).toEqual(first);
        const partial = await store.append(stream, [batch[0] as EventToAppend, newEvent()], "any");
        expect(codeOf(partial)).toBe("WRONG_EXPECTED_REVISION");
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe("event ids and types", () => {
      it.each([
        ["an upper-case id", { eventId: randomUUID().toUpperCase() }, /lower-case/],
        ["the nil UUID", { eventId: "00000000-0000-0000-0000-000000000000" }, /nil/],
        ["an empty type", { type: "" }, /without a type/],
      ])("refuses %s before anything is sent", async (_, change, message) => {
        const { store, appendsSent } = setup();
        const stream = uniqueStream();
        await expect(store.append(stream, [{ ...newEvent(), ...change }], "any")).rejects.toThrow(
          message,
        );
        expect(appendsSent?.()).toBe(appendsSent === undefined ? undefined : 0);
        expect(await store.readStream(stream)).toEqual([]);
      });

      it("gets ids back in lower case, whatever case another writer used", async () => {
        const { client, store } = setup();
        const stream = uniqueStream();
        const id = randomUUID();
        await client.appendToStream(
          stream,
          jsonEvent({ id: id.toUpperCase(), type: "Written", data: {} }),
        );
        const [read] = await store.readStream(stream);
        expect(read?.eventId).toBe(id);
      });
    });

    describe("deleted streams", () => {
      it("read a soft-deleted stream as empty, and write it again, its revisions going on", async () => {
        const { client, store } = setup();
        const stream = uniqueStream();
        rightOf(await store.append(stream, newEvents(2), "no_stream"));
        await client.deleteStream(stream);
        expect(await store.readStream(stream)).toEqual([]);
        // What a command handler does with a stream that reads as empty.
        const again = rightOf(await store.append(stream, [newEvent()], "no_stream"));
        expect(again.nextExpectedRevision).toBe(2n);
        const twice = await store.append(stream, [newEvent()], "no_stream");
        expect(codeOf(twice)).toBe("WRONG_EXPECTED_REVISION");
        rightOf(await store.append(stream, [newEvent()], "any"));
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([2n, 3n]);
      });

      it("name a tombstoned stream on read and on append, and leave everything else working", async () => {
        const { client, store } = setup();
        const category = uniqueCategory();
        const stream = uniqueStream(category);
        rightOf(await store.append(stream, newEvents(1), "no_stream"));
        const start = await store.head();
        const seen = collect(store, {
          ...(start === undefined ? {} : { after: start }),
          categories: [category],
        });
        await client.tombstoneStream(stream);
        const deleted = {
          name: "StreamTombstonedError",
          code: "STREAM_DELETED",
          streamName: stream,
        };
        expect(await rejectionOf(store.readStream(stream))).toMatchObject(deleted);
        expect(await rejectionOf(store.append(stream, [newEvent()], "any"))).toMatchObject(deleted);
        // The tombstone is a `$` event in a stream of the category: the subscription passes it.
        const next = rightOf(await store.append(uniqueStream(category), [newEvent()], "no_stream"));
        await waitUntil("the next event of the category arrives", () =>
          seen.batches.some((b) => b.position >= next.position),
        );
        await seen.subscription.stop();
        await expect(seen.subscription.done).resolves.toBeUndefined();
        expect(seen.events).toHaveLength(1);
        expect(await store.head()).toBe(next.position);
      });
    });

    describe("payloads cross as JSON text", () => {
      it("lose undefined fields, turn dates into strings, and keep nothing by reference", async () => {
        const { store } = setup();
        const stream = uniqueStream();
        const at = new Date("2026-11-23T10:00:00.000Z");
        const data = { kept: 1, dropped: undefined, at, list: [undefined, 2] };
        rightOf(await store.append(stream, [newEvent(data)], "no_stream"));
        data.kept = 2;
        const [read] = await store.readStream(stream);
        expect(read?.data).toEqual({ kept: 1, at: at.toISOString(), list: [null, 2] });
        expect(Object.keys(read?.data as object)).not.toContain("dropped");
      });

      it("read missing metadata as null", async () => {
        const { store } = setup();
        const stream = uniqueStream();
        const bare = { ...newEvent(), metadata: null } as unknown as EventToAppend;
        rightOf(await store.append(stream, [bare], "no_stream"));
        const [read] = await store.readStream(stream);
        expect(read?.metadata).toBeNull();
      });
    });

    describe("a filtered subscription", () => {
      it("moves a category without events on the server's checkpoints alone, idle for longer than a page", async () => {
        const { client } = setup();
        // No reopening when quiet: only the server's checkpoints may move it.
        const quiet = createEventStoreDbEventStore(client, {
          subscriptionTiming: { idleMinMs: 600_000, idleMaxMs: 600_000 },
        });
        const category = uniqueCategory("Sparse");
        const start = await quiet.head();
        const from = start === undefined ? {} : { after: start };
        const seen = collect(quiet, { ...from, categories: [category], maxBatch: 10 });
        const others: bigint[] = [];
        for (let i = 0; i < 12; i += 1) {
          const appended = rightOf(await quiet.append(uniqueStream(), newEvents(100), "no_stream"));
          others.push(appended.position);
        }
        // More than a page (DEFAULT_READ_BATCH) of events not ours.
        const pageOfOthers = others[9] as bigint;
        await waitUntil("a checkpoint passes a page of other categories' events", () =>
          seen.batches.some((b) => b.position > pageOfOthers),
        );
        expect(seen.events).toEqual([]);
        const checkpoint = seen.batches.at(-1)?.position as bigint;
        expect(checkpoint > (start ?? 0n)).toBe(true);
        const ours = rightOf(await quiet.append(uniqueStream(category), [newEvent()], "no_stream"));
        await waitUntil("our event arrives", () => seen.events.length === 1);
        await seen.subscription.stop();
        expect(seen.events[0]?.position).toBe(ours.position);
        // Resuming from the checkpoint is exclusive of it and hands our event over once.
        const resumed = collect(quiet, { after: checkpoint, categories: [category] });
        await waitUntil("the resumed subscription catches up", () => resumed.events.length >= 1);
        await resumed.subscription.stop();
        expect(resumed.events.map((e) => e.eventId)).toEqual([seen.events[0]?.eventId]);
      });
    });

    describe("the append size", () => {
      it("counts twice the type, as servers do, and refuses before anything is sent", async () => {
        const { store, appendsSent } = setup();
        const stream = uniqueStream();
        const base = newEvent({ blob: "" }, "T".repeat(16));
        const dataAndMetadata =
          Buffer.byteLength(JSON.stringify(base.data)) +
          Buffer.byteLength(JSON.stringify(base.metadata));
        // Within the limit by data and metadata alone; over it by 16 bytes with the type.
        const blob = "x".repeat(MAX_APPEND_BYTES - dataAndMetadata - 16);
        const event = { ...base, data: { blob } };
        await expect(store.append(stream, [event], "no_stream")).rejects.toThrow(RangeError);
        expect(appendsSent?.()).toBe(appendsSent === undefined ? undefined : 0);
        expect(await store.readStream(stream)).toEqual([]);
        const fits = { ...event, data: { blob: blob.slice(16) } };
        rightOf(await store.append(stream, [fits], "no_stream" satisfies ExpectedRevision));
      });
    });
  });
};
