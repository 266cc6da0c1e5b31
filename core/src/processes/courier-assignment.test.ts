import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { defaultSlotPolicy } from "../domain/delivery/slot-policy.js";
import type { CourierId } from "../shared/codecs.js";
import { delivery } from "../test-support/events.js";
import { histories } from "../test-support/histories.js";
import { givenProcess, redelivered } from "../test-support/process.js";
import { propertyRuns } from "../test-support/projection-laws.js";
import { COURIERS } from "../test-support/shop-data.js";
import { canonicalJson } from "../testing/equality.js";
import type { Courier } from "./choose-courier.js";
import { CourierAssignmentState, courierAssignment } from "./courier-assignment.js";

const couriers: ReadonlyArray<Courier> = [
  { id: "ivan" as CourierId, name: "Ivan", capacity: 2 },
  { id: "olga" as CourierId, name: "Olga", capacity: 1 },
];
const scheduling = courierAssignment(couriers);
/**
 * The manager with its commands' windows left out: who gets what, which most tests are about.
 * What the windows are is tested on `scheduling` itself.
 */
const manager: typeof scheduling = {
  ...scheduling,
  react: (state, event) => {
    const reaction = scheduling.react(state, event);
    return {
      ...reaction,
      commands: reaction.commands.map((c) => {
        if (c.aggregate !== "Delivery" || c.command.type !== "AssignCourier") return c;
        const { window: _window, at: _at, ...who } = c.command;
        return { ...c, command: who };
      }),
    };
  },
};
const d1 = delivery("o-1");
const d2 = delivery("o-2");
const d3 = delivery("o-3");
const d4 = delivery("o-4");
const d5 = delivery("o-5");
const d8 = delivery("o-8");
const d9 = delivery("o-9");
const assign = (orderId: string, courierId: string) =>
  ({ aggregate: "Delivery", command: { type: "AssignCourier", orderId, courierId } }) as const;

/** Four deliveries requested: Ivan promised o-1 and o-3, Olga o-2, o-4 waiting. */
const busyDay = [d1.requested(), d2.requested(), d3.requested(), d4.requested()];

/** Mondays from 09:00 UTC, a minute apart (recordEvents' clock), are 12:00 in Moscow. */
const tuesday = {
  morning: { from: "2026-01-06T07:00:00.000Z", to: "2026-01-06T11:00:00.000Z" },
  afternoon: { from: "2026-01-06T11:00:00.000Z", to: "2026-01-06T15:00:00.000Z" },
};
const assignIn = (
  orderId: string,
  courierId: string,
  window: { from: string; to: string },
  at: string,
) =>
  ({
    aggregate: "Delivery",
    command: { type: "AssignCourier", orderId, courierId, window, at },
  }) as const;

describe("courier assignment, with the window it promises", () => {
  it("given a delivery requested on a Monday, promises the courier's first slot on Tuesday", () => {
    givenProcess(scheduling)
      .when(d1.requested())
      .thenCommands(assignIn("o-1", "ivan", tuesday.morning, "2026-01-05T09:00:00.000Z"));
  });

  it("given a delivery requested on a Saturday, promises Monday's", () => {
    givenProcess(scheduling)
      .when({ ...d1.requested(), at: "2026-01-10T09:00:00.000Z" })
      .thenCommands(
        assignIn(
          "o-1",
          "ivan",
          { from: "2026-01-12T07:00:00.000Z", to: "2026-01-12T11:00:00.000Z" },
          "2026-01-10T09:00:00.000Z",
        ),
      );
  });

  it("given a courier whose slot is full, promises their next slot", () => {
    const onePerSlot = courierAssignment(couriers, { ...defaultSlotPolicy, perSlot: 1 });
    givenProcess(onePerSlot, d1.requested(), d2.requested())
      .when(d3.requested())
      .thenCommands(assignIn("o-3", "ivan", tuesday.afternoon, "2026-01-05T09:02:00.000Z"));
  });

  it("counts a dispatcher's window against the slot it is in, and frees it when the delivery ends", () => {
    const onePerSlot = courierAssignment(couriers, { ...defaultSlotPolicy, perSlot: 1 });
    const byHand = [d9.requested(), d9.courierAssigned("ivan", tuesday.morning)];
    givenProcess(onePerSlot, ...byHand)
      .when(d1.requested())
      .thenCommands(assignIn("o-1", "olga", tuesday.morning, "2026-01-05T09:02:00.000Z"));
    givenProcess(onePerSlot, ...byHand, d8.requested(), d9.cancelled("Away"))
      .when(d1.requested())
      .thenCommands(assignIn("o-1", "ivan", tuesday.morning, "2026-01-05T09:04:00.000Z"));
  });

  it("remembers no window for an assignment made before windows existed", () => {
    const { state } = givenProcess(scheduling).when(d1.requested(), d1.courierAssigned("olga"));
    expect(state.windows).toEqual({});
  });
});

describe("courier assignment", () => {
  it("gives a requested delivery to the least-loaded courier, ties to the first by id", () => {
    givenProcess(manager).when(d1.requested()).thenCommands(assign("o-1", "ivan"));
  });

  it("counts a place as taken as soon as it is promised, and lets what nobody can take wait", () => {
    const { state } = givenProcess(manager)
      .when(...busyDay)
      .thenCommands(assign("o-1", "ivan"), assign("o-2", "olga"), assign("o-3", "ivan"));
    expect(state.waiting.map((w) => w.orderId)).toEqual(["o-4"]);
    expect(state.active).toEqual({ ivan: ["o-1", "o-3"], olga: ["o-2"] });
  });

  it("gives a courier who delivers the delivery that has waited longest", () => {
    givenProcess(
      manager,
      ...busyDay,
      d5.requested(),
      d2.courierAssigned("olga"),
      d2.pickedUp("olga"),
    )
      .when(d2.completed("olga"))
      .thenCommands(assign("o-4", "olga"));
  });

  it("frees a courier whose delivery failed just the same", () => {
    givenProcess(manager, ...busyDay, d1.courierAssigned("ivan"))
      .when(d1.failed("ivan", "Nobody at home"))
      .thenCommands(assign("o-4", "ivan"));
  });

  it("frees the courier of a cancelled delivery for the delivery that has waited longest", () => {
    const { state } = givenProcess(manager, ...busyDay, d5.requested())
      .when(d1.cancelled("Payment declined"))
      .thenCommands(assign("o-4", "ivan"));
    expect(state.active).toEqual({ ivan: ["o-3", "o-4"], olga: ["o-2"] });
    expect(state.waiting.map((w) => w.orderId)).toEqual(["o-5"]);
  });

  it("takes a cancelled delivery off the waiting list, so nobody is sent for it", () => {
    const { state } = givenProcess(manager, ...busyDay, d5.requested())
      .when(d4.cancelled("Customer changed their mind"), d2.completed("olga"))
      .thenCommands(assign("o-5", "olga"));
    expect(state.waiting).toEqual([]);
  });

  it("frees a courier whose delivery is cancelled before it was even confirmed", () => {
    // Ivan was promised o-1; the order is cancelled before the AssignCourier is decided.
    const { state } = givenProcess(manager, d1.requested())
      .when(d1.cancelled("Payment declined"))
      .thenCommands();
    expect(state).toMatchObject({ waiting: [], active: {} });
  });

  it("treats a rescheduled delivery as a new request: the least-loaded courier, or wait", () => {
    givenProcess(manager, d1.requested(), d1.courierAssigned("ivan"), d1.failed("ivan", "Nobody"))
      .when(d1.rescheduled())
      .thenCommands(assign("o-1", "ivan"));
    const { state } = givenProcess(
      manager,
      ...busyDay,
      d5.requested(),
      d1.courierAssigned("ivan"),
      d1.failed("ivan", "Nobody at home"),
    )
      .when(d1.rescheduled())
      .thenCommands();
    // o-4 took Ivan's freed place when o-1 failed; o-1 waits behind o-5, as a new request would.
    expect(state.waiting.map((w) => w.orderId)).toEqual(["o-5", "o-1"]);
  });

  it("treats a re-requested delivery, failed or cancelled by hand, as a new request", () => {
    givenProcess(manager, d1.requested(), d1.courierAssigned("ivan"), d1.failed("ivan", "Nobody"))
      .when(d1.rerequested())
      .thenCommands(assign("o-1", "ivan"));
    givenProcess(manager, d1.requested(), d1.courierAssigned("ivan"), d1.cancelled("Away"))
      .when(d1.rerequested())
      .thenCommands(assign("o-1", "ivan"));
  });

  it("takes a person's assignment as it is, and gives the place it frees to the oldest waiting", () => {
    const { state } = givenProcess(manager, ...busyDay)
      .when(d1.courierAssigned("olga"))
      .thenCommands(assign("o-4", "ivan"));
    expect(state.active).toEqual({ ivan: ["o-3", "o-4"], olga: ["o-2", "o-1"] });
    expect(state.waiting).toEqual([]);
  });

  it("counts deliveries given by hand to a courier it does not know, and never chooses them", () => {
    givenProcess(manager, d1.requested(), d1.courierAssigned("zoe"))
      .when(d2.requested(), d3.requested())
      .thenCommands(assign("o-2", "ivan"), assign("o-3", "olga"));
  });

  it("ignores a request delivered again, at once or after the delivery is over", () => {
    givenProcess(manager, d1.requested()).when(redelivered(0)).thenCommands();
    const { state } = givenProcess(
      manager,
      d1.requested(),
      d1.courierAssigned("ivan"),
      d1.pickedUp("ivan"),
      d1.completed("ivan"),
    )
      .when(redelivered(0), redelivered(1))
      .thenCommands();
    expect(state.active).toEqual({});
  });

  it("stores its state as JSON and refuses a malformed one", () => {
    const { state } = givenProcess(manager).when(...busyDay);
    const stored: unknown = JSON.parse(JSON.stringify(manager.codec.encode(state)));
    expect(manager.codec.decode(stored)).toEqual(E.right(state));
    expect(E.isLeft(CourierAssignmentState.decode({ ...state, seenUpTo: "twelve" }))).toBe(true);
  });

  it("never fills a courier beyond capacity itself, and resumes the same from stored state, over any history", () => {
    const shop = courierAssignment(COURIERS);
    const capacity = new Map(COURIERS.map((c) => [c.id as string, c.capacity]));
    fc.assert(
      fc.property(histories(), ({ events }) => {
        let state = shop.initialState;
        const problems: string[] = [];
        for (const event of events) {
          const stored = shop.codec.decode(JSON.parse(JSON.stringify(shop.codec.encode(state))));
          const reaction = shop.react(state, event);
          if (E.isLeft(stored)) problems.push(`state before ${event.eventId} does not decode`);
          else if (canonicalJson(shop.react(stored.right, event)) !== canonicalJson(reaction)) {
            problems.push(`stored state reacts otherwise to ${event.eventId}`);
          }
          for (const { command } of reaction.commands) {
            if (command.type !== "AssignCourier") continue;
            const load = reaction.state.active[command.courierId]?.length ?? 0;
            if (load > (capacity.get(command.courierId) ?? 0)) {
              problems.push(`${command.courierId} overfilled at ${event.eventId}`);
            }
            const from = command.window?.from;
            if (from === undefined || from <= event.metadata.occurredAt) {
              problems.push(`${command.orderId} promised no window to come at ${event.eventId}`);
            }
            const sameSlot = (reaction.state.active[command.courierId] ?? []).filter(
              (o) => reaction.state.windows?.[o]?.from === from,
            ).length;
            if (sameSlot > (capacity.get(command.courierId) ?? 0)) {
              problems.push(`${command.courierId} overbooked at ${from} by ${event.eventId}`);
            }
          }
          state = reaction.state;
        }
        expect(problems).toEqual([]);
      }),
      propertyRuns,
    );
  });
});
