import * as t from "io-ts";
import { type IsoInstant, isoInstant } from "../../shared/codecs.js";
import type { DeliveryWindow } from "./delivery-window.js";

/**
 * How the shop cuts its delivery days into slots, in its own time zone. Days are counted in the
 * zone, so a slot "10:00-14:00" stays that on the customer's clock across daylight-saving changes.
 */
export interface SlotPolicy {
  /** An IANA zone, the one the mail tells times in. */
  readonly timeZone: string;
  /** The hour the first slot of a day starts, and the hour no slot may end after (0-24). */
  readonly firstHour: number;
  readonly lastHour: number;
  readonly slotHours: number;
  /** Days a courier drives, 0 for Sunday to 6 for Saturday. */
  readonly workingDays: ReadonlyArray<number>;
  /** The most deliveries one courier is given in one slot; without it, their capacity. */
  readonly perSlot?: number;
}

/** Half-day slots, 10-14 and 14-18, Monday to Saturday, in Moscow time. */
export const defaultSlotPolicy: SlotPolicy = {
  timeZone: "Europe/Moscow",
  firstHour: 10,
  lastHour: 18,
  slotHours: 4,
  workingDays: [1, 2, 3, 4, 5, 6],
};

const hour = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 24, "Hour");

/** A policy from settings: refused unless it has at least one slot on at least one day. */
export const SlotPolicyCodec = t.refinement(
  t.intersection([
    t.partial({ perSlot: t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, "PerSlot") }),
    t.type({
      timeZone: t.refinement(t.string, isZone, "TimeZone"),
      firstHour: hour,
      lastHour: hour,
      slotHours: t.refinement(hour, (n) => n > 0, "SlotHours"),
      workingDays: t.readonlyArray(
        t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 6, "Weekday"),
      ),
    }),
  ]),
  (p) => p.firstHour + p.slotHours <= p.lastHour && p.workingDays.length > 0,
  "SlotPolicy",
);

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterOf = (timeZone: string): Intl.DateTimeFormat => {
  const known = formatters.get(timeZone);
  if (known !== undefined) return known;
  const made = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  formatters.set(timeZone, made);
  return made;
};

/** The zone's wall clock at `ms`, read as if it were UTC: the difference is the zone's offset. */
const wallAsUtc = (timeZone: string, ms: number): number => {
  const part = (parts: Intl.DateTimeFormatPart[], type: string): number =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  const parts = formatterOf(timeZone).formatToParts(new Date(ms));
  return Date.UTC(
    part(parts, "year"),
    part(parts, "month") - 1,
    part(parts, "day"),
    part(parts, "hour"),
    part(parts, "minute"),
    part(parts, "second"),
  );
};

/** The instant the zone's clocks show `wall` (a local time written as UTC). */
const instantOfWall = (timeZone: string, wall: number): number => {
  const first = wall - (wallAsUtc(timeZone, wall) - wall);
  return wall - (wallAsUtc(timeZone, first) - first);
};

/** Where an instant falls in the zone: its local day (as UTC midnight), weekday and hour. */
export const localTime = (
  timeZone: string,
  instant: string,
): { readonly day: number; readonly weekday: number; readonly hours: number } => {
  const wall = wallAsUtc(timeZone, Date.parse(instant));
  const day = Math.floor(wall / 86_400_000) * 86_400_000;
  return { day, weekday: new Date(day).getUTCDay(), hours: (wall - day) / 3_600_000 };
};

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * The window to promise for a delivery assigned at `at`: the earliest slot, from the next working
 * day on, in which the courier has fewer than the policy's `perSlot` (else `capacity`) deliveries
 * booked (`booked` are their windows). A courier with room for none still gets one: at least 1 here,
 * who may carry anything at all is the assignment's business. Booked windows that start at
 * another instant than a slot of this policy still count against the slot they start in.
 */
export const nextWindow = (
  policy: SlotPolicy,
  at: IsoInstant,
  booked: ReadonlyArray<DeliveryWindow>,
  capacity: number,
): DeliveryWindow => {
  const room = Math.max(1, policy.perSlot ?? capacity);
  const bookedStarts = booked.map((w) => Date.parse(w.from));
  const today = localTime(policy.timeZone, at).day;
  const slotsPerDay = Math.max(
    1,
    Math.floor((policy.lastHour - policy.firstHour) / policy.slotHours),
  );
  // Every full slot holds at least `room` bookings, so there are at most that many full ones to
  // pass; and a week holds at least one working day unless the policy is degenerate.
  const days = 7 * (Math.ceil(booked.length / room / slotsPerDay) + 2);
  let fallback: DeliveryWindow | undefined;
  for (let d = 1; d <= days; d += 1) {
    const day = today + d * DAY;
    if (!policy.workingDays.includes(new Date(day).getUTCDay())) continue;
    for (let s = 0; s < slotsPerDay; s += 1) {
      const startHour = policy.firstHour + s * policy.slotHours;
      const from = instantOfWall(policy.timeZone, day + startHour * HOUR);
      const to = instantOfWall(policy.timeZone, day + (startHour + policy.slotHours) * HOUR);
      const window = { from: isoInstant(new Date(from)), to: isoInstant(new Date(to)) };
      fallback ??= window;
      if (bookedStarts.filter((b) => b >= from && b < to).length < room) return window;
    }
  }
  // Only a policy with no working day gets here: the day after, at its first hour.
  return (
    fallback ?? {
      from: isoInstant(
        new Date(instantOfWall(policy.timeZone, today + DAY + policy.firstHour * HOUR)),
      ),
      to: isoInstant(
        new Date(
          instantOfWall(
            policy.timeZone,
            today + DAY + (policy.firstHour + policy.slotHours) * HOUR,
          ),
        ),
      ),
    }
  );
};
