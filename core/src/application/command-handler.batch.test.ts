import { createMemoryEventStore, manualClock } from "@mebel/adapter-memory";
import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { StockItemCommand } from "../domain/stock-item/commands.js";
import { available } from "../domain/stock-item/stock-item.js";
import type { EventStore } from "../ports/event-store.js";
import type { LineId, OrderId, Quantity, Sku } from "../shared/codecs.js";
import { stockItemAggregate } from "./aggregates.js";
import { createCommandHandler, MAX_BATCH } from "./command-handler.js";
import { lruStateCache } from "./state-cache.js";

const sku = "LAMP-PH5" as Sku;
const stream = "StockItem-LAMP-PH5";
const context = { correlationId: "batch", causationId: "batch" };
let counter = 0;
const ids = { next: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}` };

const handlerOn = (store: EventStore) =>
  createCommandHandler({ store, clock: manualClock(), ids, cache: lruStateCache() })(
    stockItemAggregate,
  );

const line = (n: number) => ({ orderId: `o-${n}` as OrderId, lineId: `l-${n}` as LineId });
const reserve = (n: number, quantity: number): StockItemCommand => ({
  type: "ReserveStock",
  sku,
  ...line(n),
  quantity: quantity as Quantity,
});
const release = (n: number): StockItemCommand => ({
  type: "ReleaseReservation",
  sku,
  ...line(n),
  reason: "item_removed",
});
const receive = (quantity: number): StockItemCommand => ({
  type: "ReceiveStock",
  sku,
  quantity: quantity as Quantity,
});

/** Few lines and small stock, so that commands repeat (no-ops), run out (refusals) and release. */
const command = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.tuple(fc.nat(7), fc.integer({ min: 1, max: 4 })).map(([n, q]) => reserve(n, q)),
  },
  { weight: 2, arbitrary: fc.nat(7).map(release) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }).map(receive) },
);

type Handle = ReturnType<typeof handlerOn>;
/** What a caller sees, without the global position (one append against many). */
const answerOf = (outcome: Awaited<ReturnType<ReturnType<Handle>>>) =>
  E.isLeft(outcome)
    ? { refused: outcome.left.code }
    : {
        events: outcome.right.events,
        state: outcome.right.state,
        revision: outcome.right.revision,
      };
const storedOf = async (store: EventStore) =>
  (await store.readStream(stream)).map(({ type, data, revision }) => ({ type, data, revision }));

describe("batched deciding per stream", () => {
  it("answers and appends exactly as the serial path, and never oversells", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 8 }),
        fc.array(command, { minLength: 1, maxLength: 150 }),
        async (stock, commands) => {
          const serialStore = createMemoryEventStore();
          const serial = handlerOn(serialStore);
          const batchedStore = createMemoryEventStore();
          const batched = handlerOn(batchedStore);
          if (stock > 0) {
            await serial(receive(stock), context)();
            await batched(receive(stock), context)();
          }
          const expected = [];
          for (const c of commands) expected.push(answerOf(await serial(c, context)()));
          const outcomes = await Promise.all(commands.map((c) => batched(c, context)()));

          expect(outcomes.map(answerOf)).toEqual(expected);
          expect(await storedOf(batchedStore)).toEqual(await storedOf(serialStore));
          for (const outcome of outcomes) {
            if (E.isRight(outcome))
              expect(available(outcome.right.state)).toBeGreaterThanOrEqual(0);
            if (E.isRight(outcome) && outcome.right.events.length > 0) {
              expect(outcome.right.position).toBeDefined();
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("appends the commands waiting on one stream as one append each, at most MAX_BATCH", async () => {
    const store = createMemoryEventStore();
    const appends: number[] = [];
    const counting: EventStore = {
      ...store,
      append: (name, events, expected) => {
        appends.push(events.length);
        return store.append(name, events, expected);
      },
    };
    const handle = handlerOn(counting);
    const waiting = MAX_BATCH + 10;
    const all = [receive(500), ...Array.from({ length: waiting }, (_, n) => reserve(n, 1))];
    const outcomes = await Promise.all(all.map((c) => handle(c, context)()));
    // The first finds the stream idle and goes alone; the rest waited behind it.
    expect(appends).toEqual([1, MAX_BATCH, 10]);
    const revisions = outcomes.map((o) => (E.isRight(o) ? o.right.revision : undefined));
    expect(revisions).toEqual(all.map((_, i) => BigInt(i)));
    const positions = outcomes.slice(1, MAX_BATCH + 1).map((o) => E.isRight(o) && o.right.position);
    expect(new Set(positions).size).toBe(1);
  });

  it("a refused command refuses only itself", async () => {
    const handle = handlerOn(createMemoryEventStore());
    const outcomes = await Promise.all(
      [receive(2), reserve(1, 1), reserve(2, 5), reserve(3, 1), reserve(4, 1)].map((c) =>
        handle(c, context)(),
      ),
    );
    expect(outcomes.map((o) => (E.isLeft(o) ? o.left.code : o.right.state.reserved))).toEqual([
      0,
      1,
      "INSUFFICIENT_STOCK",
      2,
      "INSUFFICIENT_STOCK",
    ]);
  });

  it("decides a command with an expected revision alone, against the stream as it stands", async () => {
    const handle = handlerOn(createMemoryEventStore());
    const [, , stale, fresh] = await Promise.all([
      handle(receive(5), context)(),
      handle(reserve(1, 1), context)(),
      handle(reserve(2, 1), context, { expectedRevision: 0n })(),
      handle(reserve(3, 1), context, { expectedRevision: 1n })(),
    ]);
    expect(E.isLeft(stale) && stale.left.code).toBe("PRECONDITION_FAILED");
    expect(E.isRight(fresh) && fresh.right.revision).toBe(2n);
  });

  it("re-decides the whole batch when another process wrote, losing and doubling nothing", async () => {
    const store = createMemoryEventStore();
    const there = handlerOn(store);
    await there(receive(10), context)();
    // Just before this process's first two batched appends the other one reserves a unit, so the
    // batch decided on the cache and then the one decided on a fresh read are both refused.
    let interfere = 2;
    const appends: number[] = [];
    const racing: EventStore = {
      ...store,
      append: async (name, events, expected) => {
        if (events.length > 1 && interfere-- > 0)
          await there(reserve(200 + interfere, 1), context)();
        appends.push(events.length);
        return store.append(name, events, expected);
      },
    };
    const here = handlerOn(racing);
    await here(receive(1), context)();
    const lineIds = [...Array.from({ length: 12 }, (_, n) => n), 3];
    const commands = lineIds.map((n) => reserve(n, 1));
    const outcomes = await Promise.all(commands.map((c) => here(c, context)()));

    // 10 + 1 received, 2 taken by the other process: 9 for this one, l-0 alone, then l-1..l-8.
    const granted = outcomes.flatMap((o, i) =>
      E.isRight(o) && o.right.events.length > 0 ? [lineIds[i]] : [],
    );
    expect(granted).toEqual(Array.from({ length: 9 }, (_, n) => n));
    expect(
      outcomes.filter((o) => E.isLeft(o) && o.left.code === "INSUFFICIENT_STOCK"),
    ).toHaveLength(3);
    // The repeated line is answered as reserved once, on the state the batch appended.
    const repeat = outcomes[12];
    expect(repeat !== undefined && E.isRight(repeat) && repeat.right.events).toEqual([]);
    expect(appends).toEqual([1, 1, 10, 9, 8]);

    const loaded = await there(receive(1), context)();
    if (E.isLeft(loaded)) throw new Error("receive refused");
    const { reservations, onHand, reserved } = loaded.right.state;
    const lines = [...reservations].map((r) => r.lineId).sort();
    const expected = [...Array.from({ length: 9 }, (_, n) => `l-${n}`), "l-200", "l-201"];
    expect(lines).toEqual(expected.sort());
    expect(reserved).toBe(11);
    expect(onHand).toBe(12);
  });
});
