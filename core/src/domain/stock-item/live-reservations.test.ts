import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { LineId, OrderId, Quantity } from "../../shared/codecs.js";
import { StockItemStateCodec } from "../state-codecs.js";
import {
  fromList,
  heldFor,
  holding,
  type LiveReservations,
  listOf,
  noReservations,
  type Reservation,
  without,
} from "./live-reservations.js";

const reservation = (line: number, quantity = 1): Reservation => ({
  lineId: `l-${line}` as LineId,
  orderId: `o-${line % 7}` as OrderId,
  quantity: quantity as Quantity,
});

type Step = { readonly hold: number; readonly quantity: number } | { readonly drop: number };

// Enough lines that branches fill, split several levels deep and fold back as lines go.
const steps = fc.array(
  fc.oneof(
    fc.record({
      hold: fc.integer({ min: 0, max: 3000 }),
      quantity: fc.integer({ min: 1, max: 9 }),
    }),
    fc.record({ drop: fc.integer({ min: 0, max: 3000 }) }),
  ),
  { maxLength: 400 },
);

const run = (from: LiveReservations, list: ReadonlyArray<Step>) => {
  const model = new Map<string, Reservation>();
  let held = from;
  for (const step of list) {
    if ("hold" in step) {
      const r = reservation(step.hold, step.quantity);
      held = holding(held, r);
      model.set(r.lineId, r);
    } else {
      const { lineId } = reservation(step.drop);
      held = without(held, lineId);
      model.delete(lineId);
    }
  }
  return { held, model };
};

const sorted = (list: Iterable<Reservation>) =>
  [...list].sort((a, b) => (a.lineId < b.lineId ? -1 : 1));

describe("live reservations", () => {
  it("hold what a map of line ids would, whatever the steps", () => {
    fc.assert(
      fc.property(steps, (list) => {
        const { held, model } = run(noReservations, list);
        expect(held.size).toBe(model.size);
        expect(sorted(held)).toEqual(sorted(model.values()));
        for (let line = 0; line <= 3000; line += 37) {
          const { lineId } = reservation(line);
          expect(heldFor(held, lineId)).toEqual(model.get(lineId));
        }
      }),
    );
  });

  it("take the same shape for the same lines, whatever the history", () => {
    fc.assert(
      fc.property(steps, (list) => {
        const { held, model } = run(noReservations, list);
        const rebuilt = fromList([...model.values()].reverse());
        expect(held.root).toEqual(rebuilt.root);
        expect(held).toEqual(rebuilt);
      }),
    );
  });

  it("leave the set they were made from as it was", () => {
    fc.assert(
      fc.property(steps, steps, (first, second) => {
        const before = run(noReservations, first).held;
        const seen = listOf(before);
        run(before, second);
        expect(listOf(before)).toEqual(seen);
      }),
    );
  });

  it("fold back to the empty set once every line has gone", () => {
    const lines = Array.from({ length: 2000 }, (_, line) => reservation(line));
    let held = fromList(lines);
    for (const { lineId } of lines) held = without(held, lineId);
    expect(held).toEqual(noReservations);
    expect(held.root).toEqual(noReservations.root);
  });

  it("keep lines whose hashes are all equal apart, and fold them back as they go", () => {
    // Found by search: these ids have the same 32-bit hash.
    const line = (lineId: string, quantity: number): Reservation => ({
      lineId: lineId as LineId,
      orderId: "o-1" as OrderId,
      quantity: quantity as Quantity,
    });
    const a = line("line-1462789", 1);
    const b = line("line-1679192", 2);
    const near = line("line-1462788", 3);
    const held = fromList([a, b, near]);
    expect(held).toEqual(fromList([near, b, a]));
    expect([heldFor(held, a.lineId), heldFor(held, b.lineId)]).toEqual([a, b]);
    expect(heldFor(holding(held, { ...a, quantity: 5 as Quantity }), a.lineId)?.quantity).toBe(5);
    expect(holding(held, { ...a, quantity: 5 as Quantity }).size).toBe(3);
    expect(heldFor(held, "line-1679193" as LineId)).toBeUndefined();
    expect(without(held, a.lineId)).toEqual(fromList([b, near]));
    expect(without(without(held, b.lineId), a.lineId)).toEqual(fromList([near]));
  });

  it("are stored as a list, and read back from one, refusing a line listed twice", () => {
    const held = fromList([reservation(1), reservation(2, 3)]);
    const state = { sku: null, onHand: 4, reserved: 4, reservations: held };
    const stored = JSON.parse(JSON.stringify(StockItemStateCodec.encode(state)));
    expect(sorted(stored.reservations)).toEqual([reservation(1), reservation(2, 3)]);
    expect(StockItemStateCodec.decode(stored)).toEqual(E.right(state));
    const twice = { ...stored, reservations: [reservation(1), reservation(1, 2)] };
    expect(E.isLeft(StockItemStateCodec.decode(twice))).toBe(true);
  });
});
