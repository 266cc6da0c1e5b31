import type { DeliveryCommand } from "../domain/delivery/commands.js";
import {
  type DeliveryError,
  type DeliveryState,
  deliveryDecider,
} from "../domain/delivery/delivery.js";
import { type DeliveryEvent, deliveryEvents } from "../domain/delivery/events.js";
import type { MailPreferencesCommand } from "../domain/mail-preferences/commands.js";
import {
  type MailPreferenceEvent,
  mailPreferenceEvents,
} from "../domain/mail-preferences/events.js";
import {
  type MailPreferencesError,
  type MailPreferencesState,
  mailPreferencesDecider,
} from "../domain/mail-preferences/mail-preferences.js";
import type { OrderCommand } from "../domain/order/commands.js";
import { type OrderEvent, orderEvents } from "../domain/order/events.js";
import { type OrderError, type OrderState, orderDecider } from "../domain/order/order.js";
import type { StockItemCommand } from "../domain/stock-item/commands.js";
import { type StockItemEvent, stockItemEvents } from "../domain/stock-item/events.js";
import {
  type StockItemError,
  type StockItemState,
  stockItemDecider,
} from "../domain/stock-item/stock-item.js";
import {
  deliveryStream,
  mailPreferencesStream,
  orderStream,
  stockItemStream,
} from "../domain/streams.js";
import type { Decider } from "../shared/decider.js";
import type { DomainError } from "../shared/domain-error.js";
import type { EventRegistry, TypedEvent } from "../shared/event-registry.js";

/** A decider together with what it takes to run it on a store: its stream and its event codecs. */
export interface Aggregate<Command, Event extends TypedEvent, State, Err extends DomainError> {
  readonly name: string;
  readonly decider: Decider<Command, Event, State, Err>;
  readonly events: EventRegistry<Event>;
  readonly streamOf: (command: Command) => string;
}

export const stockItemAggregate: Aggregate<
  StockItemCommand,
  StockItemEvent,
  StockItemState,
  StockItemError
> = {
  name: "StockItem",
  decider: stockItemDecider,
  events: stockItemEvents,
  streamOf: (command) => stockItemStream(command.sku),
};

export const orderAggregate: Aggregate<OrderCommand, OrderEvent, OrderState, OrderError> = {
  name: "Order",
  decider: orderDecider,
  events: orderEvents,
  streamOf: (command) => orderStream(command.orderId),
};

export const deliveryAggregate: Aggregate<
  DeliveryCommand,
  DeliveryEvent,
  DeliveryState,
  DeliveryError
> = {
  name: "Delivery",
  decider: deliveryDecider,
  events: deliveryEvents,
  streamOf: (command) => deliveryStream(command.orderId),
};

export const mailPreferencesAggregate: Aggregate<
  MailPreferencesCommand,
  MailPreferenceEvent,
  MailPreferencesState,
  MailPreferencesError
> = {
  name: "MailPreferences",
  decider: mailPreferencesDecider,
  events: mailPreferenceEvents,
  streamOf: (command) => mailPreferencesStream(command.customerId),
};
