import { mergeRegistries } from "../shared/event-registry.js";
import { type DeliveryEvent, deliveryEvents } from "./delivery/events.js";
import { type OrderEvent, orderEvents } from "./order/events.js";
import { type StockItemEvent, stockItemEvents } from "./stock-item/events.js";

export type DomainEvent = StockItemEvent | OrderEvent | DeliveryEvent;
export type DomainEventType = DomainEvent["type"];

/** Every event type of the three aggregates, decodable by name. */
export const domainEvents = mergeRegistries(
  mergeRegistries(stockItemEvents, orderEvents),
  deliveryEvents,
);
