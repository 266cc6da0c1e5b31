import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { IsoInstant } from "../../shared/codecs.js";
import { propertyRuns } from "../../test-support/projection-laws.js";
import type { DeliveryWindow } from "./delivery-window.js";
import {
  defaultSlotPolicy,
  localTime,
  nextWindow,
  type SlotPolicy,
  SlotPolicyCodec,
} from "./slot-policy.js";

const at = (iso: string) => iso as IsoInstant;

describe("the slot policy", () => {
  it("given an assignment on a Monday, promises Tuesday's first half-day, in Moscow time", () => {
    expect(nextWindow(defaultSlotPolicy, at("2026-12-07T09:00:00.000Z"), [], 3)).toEqual({
      from: "2026-12-08T07:00:00.000Z",
      to: "2026-12-08T11:00:00.000Z",
    });
  });

  it("given an assignment on a Saturday, skips Sunday", () => {
    expect(nextWindow(defaultSlotPolicy, at("2026-12-12T15:00:00.000Z"), [], 3).from).toBe(
      "2026-12-14T07:00:00.000Z",
    );
  });

  it("counts days in the shop's zone: late on Monday in UTC is already Tuesday in Moscow", () => {
    expect(nextWindow(defaultSlotPolicy, at("2026-12-07T22:30:00.000Z"), [], 3).from).toBe(
      "2026-12-09T07:00:00.000Z",
    );
  });

  it("given a full first slot, promises the next one", () => {
    const first = nextWindow(defaultSlotPolicy, at("2026-12-07T09:00:00.000Z"), [], 1);
    expect(nextWindow(defaultSlotPolicy, at("2026-12-07T09:00:00.000Z"), [first], 1)).toEqual({
      from: "2026-12-08T11:00:00.000Z",
      to: "2026-12-08T15:00:00.000Z",
    });
  });

  it("keeps a slot's hours on the local clock across a daylight-saving change", () => {
    const berlin: SlotPolicy = { ...defaultSlotPolicy, timeZone: "Europe/Berlin" };
    // Saturday 28 March 2026; summer time starts on Sunday the 29th, Monday is UTC+2.
    expect(nextWindow(berlin, at("2026-03-28T12:00:00.000Z"), [], 1).from).toBe(
      "2026-03-30T08:00:00.000Z",
    );
    expect(nextWindow(berlin, at("2026-03-27T12:00:00.000Z"), [], 1).from).toBe(
      "2026-03-28T09:00:00.000Z",
    );
  });

  it("refuses settings with no slot at all", () => {
    const decode = (p: unknown) => E.isRight(SlotPolicyCodec.decode(p));
    expect(decode(defaultSlotPolicy)).toBe(true);
    expect(decode({ ...defaultSlotPolicy, workingDays: [] })).toBe(false);
    expect(decode({ ...defaultSlotPolicy, firstHour: 16, lastHour: 18 })).toBe(false);
    expect(decode({ ...defaultSlotPolicy, timeZone: "Mars/Olympus" })).toBe(false);
    expect(decode({ ...defaultSlotPolicy, perSlot: 0 })).toBe(false);
  });

  const policies = fc
    .record({
      timeZone: fc.constantFrom("Europe/Moscow", "Europe/Berlin", "America/New_York", "UTC"),
      firstHour: fc.integer({ min: 0, max: 20 }),
      slotHours: fc.integer({ min: 1, max: 6 }),
      slots: fc.integer({ min: 1, max: 3 }),
      workingDays: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    })
    .filter((p) => p.firstHour + p.slotHours * p.slots <= 24)
    .map(({ slots, ...p }): SlotPolicy => ({ ...p, lastHour: p.firstHour + p.slotHours * slots }));
  const instants = fc
    .integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2030-12-31T00:00:00Z") })
    .map((ms) => at(new Date(ms).toISOString()));

  it("promises, whatever the policy and instant, a window after it, inside one working day's hours", () => {
    fc.assert(
      fc.property(policies, instants, (policy, now) => {
        const window = nextWindow(policy, now, [], 2);
        const from = localTime(policy.timeZone, window.from);
        const to = localTime(policy.timeZone, window.to);
        expect(Date.parse(window.from)).toBeLessThan(Date.parse(window.to));
        expect(from.day).toBeGreaterThan(localTime(policy.timeZone, now).day);
        expect(policy.workingDays).toContain(from.weekday);
        expect(from.hours).toBeGreaterThanOrEqual(policy.firstHour);
        // A slot ending at midnight ends on the next local day, at hour 0.
        expect(to.day === from.day ? to.hours : to.hours + 24).toBeLessThanOrEqual(policy.lastHour);
      }),
      propertyRuns,
    );
  });

  it("never books more deliveries in one slot than there is room for, however many come", () => {
    fc.assert(
      fc.property(
        policies,
        instants,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 40 }),
        (policy, now, room, count) => {
          const booked: DeliveryWindow[] = [];
          for (let i = 0; i < count; i += 1) booked.push(nextWindow(policy, now, booked, room));
          const perSlot = new Map<string, number>();
          for (const w of booked) perSlot.set(w.from, (perSlot.get(w.from) ?? 0) + 1);
          expect(Math.max(...perSlot.values())).toBeLessThanOrEqual(room);
          // Nothing is skipped: only the last slot used may have room left.
          expect(perSlot.size).toBe(Math.ceil(count / room));
        },
      ),
      propertyRuns,
    );
  });
});
