import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { CourierId } from "../shared/codecs.js";
import { propertyRuns } from "../test-support/projection-laws.js";
import { Courier, chooseCourier } from "./choose-courier.js";

const courier = (id: string, capacity: number): Courier => ({
  id: id as CourierId,
  name: id,
  capacity,
});
const ivan = courier("ivan", 3);
const olga = courier("olga", 1);
const pia = courier("pia", 2);

describe("choosing a courier", () => {
  it("gives the delivery to the courier with the fewest deliveries", () => {
    expect(chooseCourier([ivan, olga, pia], { ivan: 2, olga: 0, pia: 1 })).toBe("olga");
  });

  it("counts a courier missing from the loads as free", () => {
    expect(chooseCourier([ivan, pia], { ivan: 1 })).toBe("pia");
  });

  it("passes over couriers at capacity, however lightly loaded", () => {
    expect(chooseCourier([ivan, olga], { ivan: 2, olga: 1 })).toBe("ivan");
  });

  it("breaks ties by id, whatever order the couriers are listed in", () => {
    expect(chooseCourier([pia, olga, ivan], {})).toBe("ivan");
    expect(chooseCourier([pia, olga], { ivan: 0 })).toBe("olga");
  });

  it("chooses nobody when everyone is full, or nobody can carry anything", () => {
    expect(chooseCourier([ivan, olga], { ivan: 3, olga: 1 })).toBeUndefined();
    expect(chooseCourier([courier("zero", 0)], {})).toBeUndefined();
    expect(chooseCourier([], {})).toBeUndefined();
  });

  it("reads couriers from settings, refusing a capacity that is not a whole number of deliveries", () => {
    const settings = [{ id: "ivan", name: "Ivan", capacity: 3 }];
    expect(Courier.decode(settings[0])).toEqual(E.right(settings[0]));
    for (const capacity of [-1, 1.5, "2"]) {
      expect(E.isLeft(Courier.decode({ id: "ivan", name: "Ivan", capacity }))).toBe(true);
    }
  });

  it("always picks someone under capacity with the least load, if anyone has room", () => {
    const couriers = fc.uniqueArray(
      fc.record({ id: fc.constantFrom("a", "b", "c", "d", "e"), capacity: fc.nat(4) }),
      { selector: (c) => c.id, maxLength: 5 },
    );
    fc.assert(
      fc.property(
        couriers,
        fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e"), fc.nat(6)),
        (cs, loads) => {
          const list = cs.map((c) => courier(c.id, c.capacity));
          const load = (c: Courier) => loads[c.id] ?? 0;
          const withRoom = list.filter((c) => load(c) < c.capacity);
          const chosen = list.find((c) => c.id === chooseCourier(list, loads));
          if (withRoom.length === 0) {
            expect(chosen).toBeUndefined();
            return;
          }
          if (chosen === undefined) throw new Error("nobody chosen though someone has room");
          expect(load(chosen)).toBeLessThan(chosen.capacity);
          expect(load(chosen)).toBe(Math.min(...withRoom.map(load)));
          expect(chooseCourier([...list].reverse(), loads)).toBe(chosen.id);
        },
      ),
      propertyRuns,
    );
  });
});
