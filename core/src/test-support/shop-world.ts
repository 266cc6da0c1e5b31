import * as E from "fp-ts/lib/Either.js";
import { type DeliveryState, deliveryDecider } from "../domain/delivery/delivery.js";
import type { DomainEvent } from "../domain/events.js";
import { domainEvents } from "../domain/events.js";
import { type OrderState, orderDecider } from "../domain/order/order.js";
import { type StockItemState, stockItemDecider } from "../domain/stock-item/stock-item.js";
import {
  categoryOf,
  deliveryStream,
  idOf,
  orderStream,
  stockItemStream,
} from "../domain/streams.js";
import { courierAssignment } from "../processes/courier-assignment.js";
import { deliveryOnAssembled } from "../processes/delivery-on-assembled.js";
import { handover } from "../processes/handover.js";
import type { ProcessCommand, ProcessManager } from "../processes/process-manager.js";
import { releaseReservations } from "../processes/release-reservations.js";
import type { DomainRecordedEvent } from "../projections/projection.js";
import type { IsoInstant, OrderId } from "../shared/codecs.js";
import type { Decider } from "../shared/decider.js";
import { COURIERS, OPENING_TIME } from "./shop-data.js";

/** Feeds a process manager every event of its categories, remembering its state between them. */
const reactor = <State>(manager: ProcessManager<State>) => {
  let state = manager.initialState;
  return (event: DomainRecordedEvent): ReadonlyArray<ProcessCommand> => {
    if (!manager.categories.some((c) => c === categoryOf(event.streamName))) return [];
    const reaction = manager.react(state, event);
    state = reaction.state;
    return reaction.commands;
  };
};

/**
 * The shop's back office in memory, as the application runs it: each command decided on its
 * stream's state and its events recorded the way a store numbers them; every process manager fed
 * every event, its commands queued until `catchUp` lets it act (managers lag in real life). A
 * refused command records nothing, as in production.
 */
export const openShop = () => {
  const events: DomainRecordedEvent[] = [];
  const revisions = new Map<string, bigint>();
  const stocks = new Map<string, StockItemState>();
  const orders = new Map<string, OrderState>();
  const deliveries = new Map<string, DeliveryState>();
  const managers = [
    reactor(deliveryOnAssembled),
    reactor(handover),
    reactor(releaseReservations),
    reactor(courierAssignment(COURIERS)),
  ];
  const pending: Array<{ readonly request: ProcessCommand; readonly causationId: string }> = [];
  let clock = OPENING_TIME;
  let position = 0n;
  let correlationId = "opening";

  const record = (streamName: string, event: DomainEvent, causationId: string): void => {
    const revision = (revisions.get(streamName) ?? -1n) + 1n;
    revisions.set(streamName, revision);
    // Positions are opaque and need not be consecutive (EventStoreDB's are not).
    position += 1n + (revision % 3n);
    clock += 1;
    const recorded: DomainRecordedEvent = {
      streamName,
      revision,
      position,
      eventId: `evt-${position}`,
      event,
      metadata: {
        correlationId,
        causationId,
        occurredAt: new Date(clock).toISOString() as IsoInstant,
        schemaVersion: domainEvents.versionOf(event.type),
      },
    };
    events.push(recorded);
    for (const react of managers) {
      for (const request of react(recorded)) {
        pending.push({ request, causationId: recorded.eventId });
      }
    }
  };

  const decideOn = <C, Ev extends DomainEvent, S>(
    decider: Decider<C, Ev, S>,
    states: Map<string, S>,
    streamName: string,
    command: C,
    causationId: string,
  ): boolean => {
    const state = states.get(streamName) ?? decider.initialState;
    const decision = decider.decide(command, state);
    if (E.isLeft(decision)) return false;
    states.set(streamName, decision.right.reduce(decider.evolve, state));
    for (const event of decision.right) record(streamName, event, causationId);
    return true;
  };

  /** Decides one command; whether its aggregate accepted it. */
  const dispatch = ({ aggregate, command }: ProcessCommand, causationId: string): boolean => {
    switch (aggregate) {
      case "StockItem":
        return decideOn(
          stockItemDecider,
          stocks,
          stockItemStream(command.sku),
          command,
          causationId,
        );
      case "Order":
        return decideOn(orderDecider, orders, orderStream(command.orderId), command, causationId);
      case "Delivery":
        return decideOn(
          deliveryDecider,
          deliveries,
          deliveryStream(command.orderId),
          command,
          causationId,
        );
    }
  };

  return {
    events: (): ReadonlyArray<DomainRecordedEvent> => events,
    now: (): Date => new Date(clock),
    /** Time passes and someone starts a new action. */
    nextAction: (gapMs: number, correlation: string): void => {
      clock += gapMs;
      correlationId = correlation;
    },
    dispatch,
    /** Process managers act on up to `count` of the commands they asked for, oldest first. */
    catchUp: (count: number): void => {
      for (let i = 0; i < count && pending.length > 0; i++) {
        const next = pending.shift();
        if (next !== undefined) dispatch(next.request, next.causationId);
      }
    },
    /** Orders in the order they were created. */
    orderIds: (): ReadonlyArray<OrderId> => [...orders.keys()].map((s) => idOf(s) as OrderId),
    orderOf: (orderId: OrderId): OrderState =>
      orders.get(orderStream(orderId)) ?? orderDecider.initialState,
    deliveryOf: (orderId: OrderId): DeliveryState =>
      deliveries.get(deliveryStream(orderId)) ?? deliveryDecider.initialState,
    stockItems: (): ReadonlyArray<StockItemState> => [...stocks.values()],
  };
};

export type Shop = ReturnType<typeof openShop>;
