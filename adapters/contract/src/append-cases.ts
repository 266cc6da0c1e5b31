import type { EventStore, ExpectedRevision, WrongExpectedRevision } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import {
  idsOf,
  isStrictlyIncreasing,
  leftOf,
  newEvent,
  newEvents,
  revisionsOf,
  rightOf,
  uniqueStream,
} from "./fixtures.js";

export interface EventStoreCapabilities {
  /** The store recognises a retried append by its event ids even with expected revision `any`. */
  readonly idempotentAny?: boolean;
}

const expectConflict = (
  conflict: WrongExpectedRevision,
  streamName: string,
  expected: ExpectedRevision,
  actual: bigint | "no_stream",
): void => {
  expect(conflict.code).toBe("WRONG_EXPECTED_REVISION");
  expect(conflict.details).toEqual({ streamName, expected, actual });
};

export const appendCases = (
  store: () => EventStore,
  capabilities: EventStoreCapabilities,
): void => {
  describe("append", () => {
    it("appends events and reads them back in order", async () => {
      const stream = uniqueStream();
      const events = newEvents(3, "Counted");
      const result = rightOf(await store().append(stream, events, "no_stream"));
      const read = await store().readStream(stream);
      expect(result.nextExpectedRevision).toBe(2n);
      expect(idsOf(read)).toEqual(idsOf(events));
      expect(revisionsOf(read)).toEqual([0, 1, 2]);
      expect(read.map((e) => [e.streamName, e.type, e.data])).toEqual(
        events.map((e) => [stream, "Counted", e.data]),
      );
      expect(isStrictlyIncreasing(read.map((e) => e.position))).toBe(true);
      expect(read[2]?.position).toBe(result.position);
    });

    it("continues a stream from its exact revision", async () => {
      const stream = uniqueStream();
      rightOf(await store().append(stream, newEvents(2), "no_stream"));
      const result = rightOf(await store().append(stream, [newEvent()], 1n));
      expect(result.nextExpectedRevision).toBe(2n);
      expect(revisionsOf(await store().readStream(stream))).toEqual([0, 1, 2]);
    });

    it("appends with 'any' whether or not the stream exists", async () => {
      const stream = uniqueStream();
      expect(rightOf(await store().append(stream, [newEvent()], "any")).nextExpectedRevision).toBe(
        0n,
      );
      expect(rightOf(await store().append(stream, [newEvent()], "any")).nextExpectedRevision).toBe(
        1n,
      );
    });

    it("rejects 'no_stream' on a stream that exists", async () => {
      const stream = uniqueStream();
      rightOf(await store().append(stream, newEvents(2), "no_stream"));
      const conflict = leftOf(await store().append(stream, [newEvent()], "no_stream"));
      expectConflict(conflict, stream, "no_stream", 1n);
      expect(await store().readStream(stream)).toHaveLength(2);
    });

    it("rejects 'stream_exists' on a missing stream and accepts it on an existing one", async () => {
      const stream = uniqueStream();
      const conflict = leftOf(await store().append(stream, [newEvent()], "stream_exists"));
      expectConflict(conflict, stream, "stream_exists", "no_stream");
      expect(await store().readStream(stream)).toEqual([]);
      rightOf(await store().append(stream, [newEvent()], "no_stream"));
      const result = rightOf(await store().append(stream, [newEvent()], "stream_exists"));
      expect(result.nextExpectedRevision).toBe(1n);
    });

    it("rejects an exact revision the stream is not at", async () => {
      const stream = uniqueStream();
      expectConflict(
        leftOf(await store().append(stream, [newEvent()], 0n)),
        stream,
        0n,
        "no_stream",
      );
      rightOf(await store().append(stream, newEvents(2), "no_stream"));
      expectConflict(leftOf(await store().append(stream, [newEvent()], 0n)), stream, 0n, 1n);
      expectConflict(leftOf(await store().append(stream, [newEvent()], 5n)), stream, 5n, 1n);
      expect(await store().readStream(stream)).toHaveLength(2);
    });

    it("lets exactly one of two writers at the same revision win", async () => {
      const stream = uniqueStream();
      rightOf(await store().append(stream, [newEvent()], "no_stream"));
      const results = await Promise.all([
        store().append(stream, newEvents(2), 0n),
        store().append(stream, newEvents(3), 0n),
      ]);
      const winners = results.filter(E.isRight);
      const losers = results.filter(E.isLeft);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      const written = await store().readStream(stream);
      const actual = BigInt(written.length - 1);
      expectConflict(leftOf(losers[0] as (typeof results)[number]), stream, 0n, actual);
      expect(revisionsOf(written)).toEqual([...Array(written.length).keys()]);
    });

    it("lets exactly one of several concurrent 'no_stream' appends create the stream", async () => {
      const stream = uniqueStream();
      const results = await Promise.all(
        Array.from({ length: 6 }, () => store().append(stream, [newEvent()], "no_stream")),
      );
      expect(results.filter(E.isRight)).toHaveLength(1);
      for (const lost of results.filter(E.isLeft)) {
        expectConflict(leftOf(lost), stream, "no_stream", 0n);
      }
      expect(await store().readStream(stream)).toHaveLength(1);
    });
  });

  describe("idempotent retry by event ids", () => {
    it("with an exact revision returns the first result and writes nothing more", async () => {
      const stream = uniqueStream();
      rightOf(await store().append(stream, [newEvent()], "no_stream"));
      const batch = newEvents(2);
      const first = rightOf(await store().append(stream, batch, 0n));
      expect(rightOf(await store().append(stream, batch, 0n))).toEqual(first);
      rightOf(await store().append(stream, [newEvent()], first.nextExpectedRevision));
      // Still recognised after the stream moved on: a retry may come late.
      expect(rightOf(await store().append(stream, batch, 0n))).toEqual(first);
      const read = await store().readStream(stream);
      expect(read).toHaveLength(4);
      expect(new Set(idsOf(read)).size).toBe(4);
    });

    it("with 'no_stream' returns the first result and writes nothing more", async () => {
      const stream = uniqueStream();
      const batch = newEvents(3);
      const first = rightOf(await store().append(stream, batch, "no_stream"));
      expect(rightOf(await store().append(stream, batch, "no_stream"))).toEqual(first);
      expect(idsOf(await store().readStream(stream))).toEqual(idsOf(batch));
    });

    it.runIf(capabilities.idempotentAny === true)(
      "with 'any' returns the first result and writes nothing more",
      async () => {
        const stream = uniqueStream();
        rightOf(await store().append(stream, [newEvent()], "any"));
        const batch = newEvents(2);
        const first = rightOf(await store().append(stream, batch, "any"));
        expect(rightOf(await store().append(stream, batch, "any"))).toEqual(first);
        expect(await store().readStream(stream)).toHaveLength(3);
      },
    );
  });
};
