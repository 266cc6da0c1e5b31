import type { EventToAppend } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { createMemoryEventStore } from "./event-store.js";

const event = (eventId: string, data: unknown): EventToAppend =>
  ({
    eventId,
    type: "Noted",
    data,
    metadata: { correlationId: "c", causationId: "c", occurredAt: "2026-01-01T00:00:00.000Z" },
  }) as EventToAppend;

describe("memory event store", () => {
  it("keeps what was appended, whatever the caller or a reader does to their objects", async () => {
    const store = createMemoryEventStore();
    const data = { lines: [{ sku: "SOFA", quantity: 1 }], note: "as appended" };
    const appended = event("00000000-0000-4000-8000-000000000001", data);
    expect(E.isRight(await store.append("Note-1", [appended], "no_stream"))).toBe(true);

    data.lines.push({ sku: "LAMP", quantity: 2 });
    data.note = "changed by the writer";
    (appended.metadata as { correlationId: string }).correlationId = "changed";
    const [read] = (await store.readStream("Note-1")) as unknown as [
      { data: typeof data; metadata: object },
    ];
    read.data.lines.push({ sku: "CHAIR", quantity: 3 });
    (read.metadata as { correlationId: string }).correlationId = "changed by a reader";

    const [again] = await store.readStream("Note-1");
    expect(again?.data).toEqual({ lines: [{ sku: "SOFA", quantity: 1 }], note: "as appended" });
    expect(again?.metadata).toMatchObject({ correlationId: "c" });
    const page = await store.readAll();
    expect(page.events[0]?.data).toEqual(again?.data);
    expect(page.events[0]?.data).not.toBe(again?.data);
  });

  it("stores what JSON would: no undefined fields, dates as text", async () => {
    const store = createMemoryEventStore();
    const at = new Date("2026-01-02T03:04:05.000Z");
    await store.append(
      "Note-2",
      [event("00000000-0000-4000-8000-000000000002", { at, gone: undefined, n: Number.NaN })],
      "no_stream",
    );
    const [read] = await store.readStream("Note-2");
    expect(read?.data).toStrictEqual({ at: "2026-01-02T03:04:05.000Z", n: null });
  });
});
