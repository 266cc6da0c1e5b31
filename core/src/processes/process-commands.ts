import type { DeliveryCommand } from "../domain/delivery/commands.js";
import type { StockItemCommand } from "../domain/stock-item/commands.js";
import type { OrderId } from "../shared/codecs.js";
import type { ProcessCommand } from "./process-manager.js";

export const toStockItem = (command: StockItemCommand): ProcessCommand => ({
  aggregate: "StockItem",
  command,
});

export const toDelivery = <C extends DeliveryCommand>(
  command: C,
): { readonly aggregate: "Delivery"; readonly command: C } => ({ aggregate: "Delivery", command });

/** One delivery per order: asking again for an order that has one is a no-op. */
export const requestDelivery = (orderId: OrderId) =>
  toDelivery({ type: "RequestDelivery", orderId } as const);

export type DeliveryRequest = ReturnType<typeof requestDelivery>;
