import fc from "fast-check";
import type { DomainEvent } from "../domain/events.js";
import { categoryOf, idOf } from "../domain/streams.js";
import type { DomainRecordedEvent } from "../projections/projection.js";
import type { Decider } from "../shared/decider.js";
import { OPENING_STOCK, SKUS } from "./shop-data.js";
import { type Step, shopFloor, timedStep } from "./shop-steps.js";
import { openShop } from "./shop-world.js";

export interface History {
  readonly events: ReadonlyArray<DomainRecordedEvent>;
  /** The shop's clock after the last step. */
  readonly end: Date;
}

const simulate = (steps: ReadonlyArray<readonly [Step, number]>, settled: boolean): History => {
  const shop = openShop();
  const floor = shopFloor(shop);
  for (const sku of SKUS) {
    shop.dispatch(
      { aggregate: "StockItem", command: { type: "ReceiveStock", sku, quantity: OPENING_STOCK } },
      "opening",
    );
  }
  steps.forEach(([step, gapMs], index) => {
    shop.nextAction(gapMs, `action-${index + 1}`);
    floor.run(step, `command-${index + 1}`);
  });
  if (settled) {
    // Long enough for every grace period: managers catch up, the sweep runs, they catch up again.
    shop.nextAction(24 * 3_600_000, "settle");
    shop.catchUp(Number.POSITIVE_INFINITY);
    floor.sweep("settle");
    shop.catchUp(Number.POSITIVE_INFINITY);
  }
  return { events: shop.events(), end: shop.now() };
};

export interface HistoryOptions {
  readonly maxSteps?: number;
  /**
   * Let every process manager catch up and the orphan sweep run at the end, as a shop left alone
   * for a day would; otherwise a history may stop with work still pending.
   */
  readonly settled?: boolean;
}

/**
 * Realistic event histories of the whole shop: many orders, SKUs and deliveries, produced by
 * random command sequences through the real deciders and process managers (adds that die
 * half-way and are retried, removals, cancellations, couriers assigned by hand, deliveries that
 * fail, are tried again or are called off, lagging managers, sweeps). Events carry their stream names, per-stream revisions from 0, increasing positions,
 * unique ids and metadata.
 */
export const histories = (options: HistoryOptions = {}): fc.Arbitrary<History> =>
  fc
    .array(timedStep, { minLength: 20, maxLength: options.maxSteps ?? 80, size: "max" })
    .map((steps) => simulate(steps, options.settled ?? false));

/** Each stream of a category folded with its decider's evolve: the aggregates' own state, by id. */
export const foldStreams = <Ev extends DomainEvent, S>(
  events: ReadonlyArray<DomainRecordedEvent>,
  category: string,
  decider: Pick<Decider<unknown, Ev, S>, "evolve" | "initialState">,
): ReadonlyMap<string, S> => {
  const states = new Map<string, S>();
  for (const { streamName, event } of events) {
    if (categoryOf(streamName) !== category) continue;
    const id = idOf(streamName);
    states.set(id, decider.evolve(states.get(id) ?? decider.initialState, event as Ev));
  }
  return states;
};
