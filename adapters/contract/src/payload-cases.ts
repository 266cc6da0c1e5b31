import { type EventStore, type EventToAppend, isoInstant, MAX_APPEND_BYTES } from "@mebel/core";
import { describe, expect, it } from "vitest";
import {
  idsOf,
  isStrictlyIncreasing,
  newEvent,
  revisionsOf,
  rightOf,
  uniqueStream,
} from "./fixtures.js";

/** An event whose data and metadata, as JSON text, weigh exactly `bytes` (the limit's measure). */
const eventOfSize = (bytes: number): EventToAppend => {
  const base = newEvent({ blob: "" });
  const overhead =
    Buffer.byteLength(JSON.stringify(base.data)) + Buffer.byteLength(JSON.stringify(base.metadata));
  return { ...base, data: { blob: "x".repeat(bytes - overhead) } };
};

export const payloadCases = (store: () => EventStore): void => {
  describe("payloads", () => {
    it("round-trips metadata", async () => {
      const stream = uniqueStream();
      const metadata = {
        correlationId: "corr-1",
        causationId: "cause-1",
        occurredAt: isoInstant(new Date("2024-05-06T07:08:09.123Z")),
        actor: "clerk-7",
      };
      rightOf(await store().append(stream, [{ ...newEvent(), metadata }], "no_stream"));
      const [read] = await store().readStream(stream);
      expect(read?.metadata).toEqual(metadata);
    });

    it("round-trips unicode, control characters and nested JSON", async () => {
      const stream = uniqueStream();
      const data = {
        name: "Диван «Уют» — 120×200 см",
        astral: "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 𠜎 🛋️🪑",
        controls: "\u0001\u0007\b\t\n\u000b\f\r\u001b\u001f\u007f\u0085",
        separators: "\u2028\u2029\ufeff",
        quotes: `"'\\/`,
        "ключ 🔑": ["", 0, -1.5, 1e21, true, false, null, {}, []],
        nested: { deeper: { deepest: [{ a: "ä" }] } },
      };
      rightOf(await store().append(stream, [newEvent(data)], "no_stream"));
      const [read] = await store().readStream(stream);
      expect(read?.data).toEqual(data);
    });

    it("round-trips an append within 1 KiB of MAX_APPEND_BYTES", async () => {
      const stream = uniqueStream();
      const event = eventOfSize(MAX_APPEND_BYTES - 1024);
      rightOf(await store().append(stream, [event], "no_stream"));
      const [read] = await store().readStream(stream);
      expect(read?.data).toEqual(event.data);
    });

    it("rejects an append larger than MAX_APPEND_BYTES and writes nothing", async () => {
      const stream = uniqueStream();
      await expect(
        store().append(stream, [eventOfSize(MAX_APPEND_BYTES + 1)], "no_stream"),
      ).rejects.toThrow();
      const third = Math.ceil(MAX_APPEND_BYTES / 3) + 1;
      await expect(
        store().append(stream, [eventOfSize(third), eventOfSize(third), eventOfSize(third)], "any"),
      ).rejects.toThrow();
      expect(await store().readStream(stream)).toEqual([]);
    });

    it("appends a batch of 500 events at once", async () => {
      const stream = uniqueStream();
      const batch = Array.from({ length: 500 }, (_, i) => newEvent({ i, label: `line ${i}` }));
      const result = rightOf(await store().append(stream, batch, "no_stream"));
      expect(result.nextExpectedRevision).toBe(499n);
      const read = await store().readStream(stream);
      expect(idsOf(read)).toEqual(idsOf(batch));
      expect(revisionsOf(read)).toEqual([...Array(500).keys()]);
      expect(isStrictlyIncreasing(read.map((e) => e.position))).toBe(true);
      expect(read[499]?.position).toBe(result.position);
    });
  });
};
