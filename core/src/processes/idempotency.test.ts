import fc from "fast-check";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { deliveryDecider } from "../domain/delivery/delivery.js";
import { orderDecider } from "../domain/order/order.js";
import { stockItemDecider } from "../domain/stock-item/stock-item.js";
import type { Decider } from "../shared/decider.js";
import { foldStreams, histories } from "../test-support/histories.js";
import { runProcess } from "../test-support/process.js";
import { propertyRuns } from "../test-support/projection-laws.js";
import { COURIERS } from "../test-support/shop-data.js";
import { courierAssignment } from "./courier-assignment.js";
import { deliveryOnAssembled } from "./delivery-on-assembled.js";
import { handover } from "./handover.js";
import type { ProcessCommand, ProcessManager } from "./process-manager.js";
import { releaseReservations } from "./release-reservations.js";

/** Decides a command twice in a row on its aggregate; what the second decision emits. */
const secondDecision = <C, Ev, S>(decider: Decider<C, Ev, S>, state: S, command: C) => {
  const first = decider.decide(command, state);
  const after = E.isRight(first) ? first.right.reduce(decider.evolve, state) : state;
  const second = decider.decide(command, after);
  return E.isRight(second) ? second.right : [];
};

/** Every command the manager asks for over a history, decided twice, emits at most once. */
const asksOnlyIdempotentCommands =
  <State>(manager: ProcessManager<State>) =>
  () =>
    fc.assert(
      fc.property(histories(), ({ events }) => {
        const { commands } = runProcess(manager, manager.initialState, events);
        const stock = foldStreams(events, "StockItem", stockItemDecider);
        const orders = foldStreams(events, "Order", orderDecider);
        const deliveries = foldStreams(events, "Delivery", deliveryDecider);
        const again = ({ aggregate, command }: ProcessCommand) => {
          switch (aggregate) {
            case "StockItem":
              return secondDecision(
                stockItemDecider,
                stock.get(command.sku) ?? stockItemDecider.initialState,
                command,
              );
            case "Order":
              return secondDecision(
                orderDecider,
                orders.get(command.orderId) ?? orderDecider.initialState,
                command,
              );
            case "Delivery":
              return secondDecision(
                deliveryDecider,
                deliveries.get(command.orderId) ?? deliveryDecider.initialState,
                command,
              );
          }
        };
        expect(commands.filter((request) => again(request).length > 0)).toEqual([]);
      }),
      propertyRuns,
    );

describe("every command a process manager asks for, decided twice, emits once", () => {
  it("delivery-on-assembled", asksOnlyIdempotentCommands(deliveryOnAssembled));
  it("handover", asksOnlyIdempotentCommands(handover));
  it("release-reservations", asksOnlyIdempotentCommands(releaseReservations));
  it("courier-assignment", asksOnlyIdempotentCommands(courierAssignment(COURIERS)));
});
