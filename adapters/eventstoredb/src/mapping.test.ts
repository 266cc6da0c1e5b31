import {
  type AllStreamResolvedEvent,
  ANY,
  NO_STREAM,
  type PrefixesFilter,
  type RegexFilter,
  STREAM_EXISTS,
} from "@eventstore/db-client";
import { type EventMetadata, type EventToAppend, MAX_APPEND_BYTES } from "@mebel/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  appendSize,
  assertAppendable,
  CHECKPOINT_CATEGORY,
  eventFilter,
  fromClientRevision,
  packPosition,
  subscriptionFilter,
  toClientExpectedRevision,
  toClientRevision,
  toEventData,
  toStoredEvent,
  UnreadableEventError,
  unpackPosition,
  wrongExpectedRevision,
} from "./mapping.js";

const UINT64_MAX = (1n << 64n) - 1n;
const metadata = {
  correlationId: "c-1",
  causationId: "k-1",
  occurredAt: "2026-11-23T10:00:00.000Z",
} as EventMetadata;
const eventId = "0f8fad5b-d9cb-469f-a165-70867728950e";
const toAppend = (data: unknown, id = eventId): EventToAppend => ({
  eventId: id,
  type: "OrderCreated",
  data,
  metadata,
});

const recorded = (
  overrides: Partial<NonNullable<AllStreamResolvedEvent["event"]>> = {},
): AllStreamResolvedEvent => ({
  event: {
    streamId: "Order-1",
    id: eventId,
    isJson: true,
    revision: 2n,
    type: "OrderCreated",
    created: new Date(0),
    data: { customerId: "u-1" },
    metadata: { correlationId: "c-1" },
    position: { commit: 300n, prepare: 300n },
    ...overrides,
  } as NonNullable<AllStreamResolvedEvent["event"]>,
});

describe("expected revisions", () => {
  it("names the three stream states as the client does", () => {
    expect(toClientExpectedRevision("any")).toBe(ANY);
    expect(toClientExpectedRevision("no_stream")).toBe(NO_STREAM);
    expect(toClientExpectedRevision("stream_exists")).toBe(STREAM_EXISTS);
  });

  it("turns an exact revision into the client's bigint, 0-based on both sides", () => {
    expect(toClientExpectedRevision(0n)).toBe(0n);
    expect(toClientExpectedRevision(41n)).toBe(41n);
    // Past 2^53 too: nothing on the way is a double.
    expect(toClientExpectedRevision(9_007_199_254_740_993n)).toBe(9_007_199_254_740_993n);
    expect(toClientExpectedRevision(2n ** 63n - 1n)).toBe(2n ** 63n - 1n);
  });

  it.each([-1n, 2n ** 63n])("rejects %s", (revision) => {
    expect(() => toClientRevision(revision)).toThrow(RangeError);
  });
});

describe("client revisions", () => {
  it("are read back exactly, past 2^53 as well", () => {
    expect(fromClientRevision(0n)).toBe(0n);
    expect(fromClientRevision(9_007_199_254_740_993n)).toBe(9_007_199_254_740_993n);
  });

  it("refuse what the port's signed 64 bits cannot hold", () => {
    expect(() => fromClientRevision(2n ** 63n)).toThrow(UnreadableEventError);
    expect(() => fromClientRevision(-1n)).toThrow(UnreadableEventError);
  });
});

describe("positions", () => {
  const half = fc.bigInt({ min: 0n, max: UINT64_MAX - 1n });
  const pair = fc.record({ commit: half, prepare: half });

  it("pack and unpack without loss", () => {
    fc.assert(
      fc.property(pair, (p) => {
        expect(unpackPosition(packPosition(p))).toEqual(p);
      }),
    );
  });

  it("keep the order of $all: by commit, then by prepare", () => {
    const order = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
    fc.assert(
      fc.property(pair, pair, (a, b) => {
        const expected = order(a.commit, b.commit) || order(a.prepare, b.prepare);
        expect(order(packPosition(a), packPosition(b))).toBe(expected);
      }),
    );
  });

  it("put commit in the high half", () => {
    expect(packPosition({ commit: 1n, prepare: 0n })).toBe(1n << 64n);
    expect(packPosition({ commit: 0n, prepare: 5n })).toBe(5n);
    expect(unpackPosition((7n << 64n) | 9n)).toEqual({ commit: 7n, prepare: 9n });
  });

  it("refuse the server's 'no position' and negative halves", () => {
    expect(() => packPosition({ commit: UINT64_MAX, prepare: UINT64_MAX })).toThrow(
      UnreadableEventError,
    );
    expect(() => packPosition({ commit: -1n, prepare: 0n })).toThrow(UnreadableEventError);
  });

  it("refuse to unpack what packing cannot make", () => {
    expect(() => unpackPosition(-1n)).toThrow(RangeError);
    expect(() => unpackPosition(1n << 128n)).toThrow(RangeError);
  });
});

describe("stored events", () => {
  it("carry stream, revision, packed position, id, type, data and metadata", () => {
    expect(toStoredEvent(recorded())).toEqual({
      streamName: "Order-1",
      revision: 2n,
      position: (300n << 64n) | 300n,
      eventId,
      type: "OrderCreated",
      data: { customerId: "u-1" },
      metadata: { correlationId: "c-1" },
    });
  });

  it("parse JSON held in bytes, and leave other bytes as text for the decoder to reject", () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    const event = toStoredEvent(
      recorded({ isJson: false, data: bytes('{"a":1}'), metadata: bytes("not json") } as never),
    );
    expect(event.data).toEqual({ a: 1 });
    expect(event.metadata).toBe("not json");
  });

  it("give missing metadata as null", () => {
    expect(toStoredEvent(recorded({ metadata: undefined })).metadata).toBeNull();
  });

  it("refuse an event without a usable position", () => {
    expect(() => toStoredEvent(recorded({ position: undefined } as never))).toThrow(
      UnreadableEventError,
    );
    expect(() =>
      toStoredEvent(recorded({ position: { commit: UINT64_MAX, prepare: UINT64_MAX } })),
    ).toThrow(/22\.6/);
  });

  it("refuse a link whose event is gone", () => {
    expect(() => toStoredEvent({})).toThrow(UnreadableEventError);
  });
});

describe("appends", () => {
  it("count the bytes of data and metadata as JSON text, and twice the type, as servers do", () => {
    const data = { name: "Kanapa «Łódź»" };
    const expected =
      Buffer.byteLength(JSON.stringify(data)) +
      Buffer.byteLength(JSON.stringify(metadata)) +
      2 * "OrderCreated".length;
    expect(appendSize([toAppend(data)])).toBe(expected);
    expect(appendSize([toAppend(data), toAppend(data)])).toBe(2 * expected);
  });

  it("accept exactly the limit and refuse one byte more", () => {
    const overhead = appendSize([toAppend("")]);
    const fits = "x".repeat(MAX_APPEND_BYTES - overhead);
    expect(() => assertAppendable([toAppend(fits)])).not.toThrow();
    expect(() => assertAppendable([toAppend(`${fits}x`)])).toThrow(RangeError);
  });

  it("refuse an empty append, ids that are not UUIDs and data that is not JSON", () => {
    expect(() => assertAppendable([])).toThrow(TypeError);
    expect(() => assertAppendable([toAppend({}, "e-1")])).toThrow(/UUID/);
    expect(() => assertAppendable([toAppend(undefined)])).toThrow(TypeError);
    expect(() => assertAppendable([toAppend({ n: 1n })])).toThrow(TypeError);
  });

  it("keep our event id, so a retried append is recognised by the server", () => {
    expect(toEventData(toAppend({ a: 1 }))).toEqual({
      id: eventId,
      contentType: "application/json",
      type: "OrderCreated",
      data: { a: 1 },
      metadata,
    });
  });
});

describe("conflicts", () => {
  it("report what was expected and the stream's actual revision", () => {
    const conflict = wrongExpectedRevision("Order-1", 3n, 5n);
    expect(conflict.code).toBe("WRONG_EXPECTED_REVISION");
    expect(conflict.details).toEqual({ streamName: "Order-1", expected: 3n, actual: 5n });
    expect(conflict.message).toContain("revision 5");
  });

  it("report a missing stream as no_stream", () => {
    expect(wrongExpectedRevision("Order-1", "stream_exists", "no_stream").details).toEqual({
      streamName: "Order-1",
      expected: "stream_exists",
      actual: "no_stream",
    });
    expect(wrongExpectedRevision("Order-1", 0n, -1n).details.actual).toBe("no_stream");
  });
});

describe("which events are shown", () => {
  it("hide system streams, system types and checkpoints when no category is given", () => {
    const shown = eventFilter(undefined);
    expect(shown("Order-1", "OrderCreated")).toBe(true);
    expect(shown("$stats-127.0.0.1:2113", "$statsCollected")).toBe(false);
    expect(shown("$$Order-1", "$metadata")).toBe(false);
    expect(shown("Order-1", "$>")).toBe(false);
    expect(shown(`${CHECKPOINT_CATEGORY}-projector`, "CheckpointStored")).toBe(false);
  });

  it("match a category as the stream-name prefix `Category-`", () => {
    const shown = eventFilter(["Order", "Delivery"]);
    expect(shown("Order-1", "OrderCreated")).toBe(true);
    expect(shown("Delivery-1", "DeliveryRequested")).toBe(true);
    expect(shown("OrderLine-1", "X")).toBe(false);
    expect(shown("StockItem-1", "StockReserved")).toBe(false);
    expect(eventFilter([])("Order-1", "OrderCreated")).toBe(false);
  });
});

describe("subscription filters", () => {
  const reached = () => undefined;
  const every = { maxSearchWindow: 32, checkpointInterval: 8 };

  it("filter stream names by category prefixes on the server", () => {
    const filter = subscriptionFilter(["Order", "Delivery"], reached, every) as PrefixesFilter;
    expect(filter).toMatchObject({
      filterOn: "streamName",
      prefixes: ["Order-", "Delivery-"],
      ...every,
    });
    expect(filter.checkpointReached).toBe(reached);
  });

  it("without categories, leave out system streams and checkpoints", () => {
    const filter = subscriptionFilter(undefined, reached, every) as RegexFilter;
    expect(filter.filterOn).toBe("streamName");
    // The server's .NET regex and JavaScript's agree on this pattern.
    const matches = (streamName: string) => new RegExp(filter.regex).test(streamName);
    expect(matches("Order-1")).toBe(true);
    expect(matches("$stats-node")).toBe(false);
    expect(matches(`${CHECKPOINT_CATEGORY}-projector`)).toBe(false);
  });

  it("match nothing for an empty category list", () => {
    const filter = subscriptionFilter([], reached, every) as RegexFilter;
    expect(new RegExp(filter.regex).test("Order-1")).toBe(false);
  });
});
