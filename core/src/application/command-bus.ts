import type * as TE from "fp-ts/lib/TaskEither.js";
import type { DeliveryCommand } from "../domain/delivery/commands.js";
import type { OrderCommand } from "../domain/order/commands.js";
import type { StockItemCommand } from "../domain/stock-item/commands.js";
import type { Position } from "../events/recorded-event.js";
import type { ProcessCommand } from "../processes/process-manager.js";
import type { DomainError } from "../shared/domain-error.js";
import {
  deliveryAggregate,
  mailPreferencesAggregate,
  orderAggregate,
  stockItemAggregate,
} from "./aggregates.js";
import type { CommandContext } from "./command-context.js";
import type { HandleCommand, HandleOptions } from "./command-handler.js";

/** A handler that tells the command's context where its events landed (read-your-writes). */
const tellingPosition =
  <Command, Err, Result extends { readonly position?: Position }>(
    handler: (
      command: Command,
      context: CommandContext,
      options?: HandleOptions,
    ) => TE.TaskEither<Err, Result>,
  ) =>
  (
    command: Command,
    context: CommandContext,
    options?: HandleOptions,
  ): TE.TaskEither<Err, Result> =>
    context.appended === undefined
      ? handler(command, context, options)
      : () =>
          handler(command, context, options)().then((outcome) => {
            if (outcome._tag === "Right" && outcome.right.position !== undefined) {
              context.appended?.(outcome.right.position);
            }
            return outcome;
          });

/** One handler per aggregate, built once from a HandleCommand. */
export const commandBus = (handle: HandleCommand) => {
  const stockItem = tellingPosition(handle(stockItemAggregate));
  const order = tellingPosition(handle(orderAggregate));
  const delivery = tellingPosition(handle(deliveryAggregate));
  const mailPreferences = tellingPosition(handle(mailPreferencesAggregate));
  return {
    stockItem,
    order,
    delivery,
    mailPreferences,
    /** Routes a process manager's command to its aggregate; the outcome without the new state. */
    dispatch: (
      request: ProcessCommand,
      context: CommandContext,
    ): TE.TaskEither<DomainError, unknown> => {
      switch (request.aggregate) {
        case "StockItem":
          return stockItem(request.command satisfies StockItemCommand, context);
        case "Order":
          return order(request.command satisfies OrderCommand, context);
        case "Delivery":
          return delivery(request.command satisfies DeliveryCommand, context);
      }
    },
  };
};
export type CommandBus = ReturnType<typeof commandBus>;
