import { addressFromLine } from "../domain/order/delivery-address.js";
import type { Text } from "../shared/codecs.js";
import type { EventInput } from "../testing/projection.js";

// Test fixtures in the domain's words: `order("o-1").placed("Storgata 1, Oslo", 4_200)`.

/** Events of one stream, each carrying the stream's own id field (`orderId`, `sku`). */
const on =
  (stream: string, id: object) =>
  (type: EventInput["type"], data: object = {}): EventInput => ({
    stream,
    type,
    data: { ...id, ...data },
  });

interface LineInput {
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
}

export const order = (orderId: string) => {
  const event = on(`Order-${orderId}`, { orderId });
  return {
    created: (customerId: string) => event("OrderCreated", { customerId }),
    itemAdded: (lineId: string, sku: string, quantity: number, unitPrice: number) =>
      event("OrderItemAdded", { lineId, sku, quantity, unitPrice }),
    itemRemoved: (lineId: string, sku: string, quantity: number) =>
      event("OrderItemRemoved", { lineId, sku, quantity }),
    lineAbandoned: (lineId: string) => event("OrderLineAbandoned", { lineId }),
    placed: (deliveryAddress: string, total: number) =>
      event("OrderPlaced", { deliveryAddress: addressFromLine(deliveryAddress as Text), total }),
    processingStarted: () => event("OrderProcessingStarted"),
    assembled: () => event("OrderAssembled"),
    handedToCourier: (courierId: string, ...lines: ReadonlyArray<LineInput>) =>
      event("OrderHandedToCourier", { courierId, lines }),
    cancelled: (reason: string, ...lines: ReadonlyArray<LineInput>) =>
      event("OrderCancelled", { reason, lines }),
  };
};

export const stock = (sku: string) => {
  const event = on(`StockItem-${sku}`, { sku });
  return {
    received: (quantity: number) => event("StockReceived", { quantity }),
    reserved: (orderId: string, lineId: string, quantity: number) =>
      event("StockReserved", { orderId, lineId, quantity }),
    released: (orderId: string, lineId: string, quantity: number, reason: string) =>
      event("StockReservationReleased", { orderId, lineId, quantity, reason }),
    dispatched: (orderId: string, lineId: string, quantity: number) =>
      event("StockDispatched", { orderId, lineId, quantity }),
  };
};

export const delivery = (orderId: string) => {
  const event = on(`Delivery-${orderId}`, { orderId });
  return {
    requested: () => event("DeliveryRequested"),
    courierAssigned: (courierId: string, window: { from: string; to: string } | null = null) =>
      event("CourierAssigned", { courierId, window }),
    pickedUp: (courierId: string) => event("DeliveryPickedUp", { courierId }),
    completed: (courierId: string) => event("DeliveryCompleted", { courierId }),
    failed: (courierId: string, reason: string) => event("DeliveryFailed", { courierId, reason }),
    rescheduled: () => event("DeliveryRescheduled"),
    rerequested: () => event("DeliveryRerequested"),
    cancelled: (reason: string) => event("DeliveryCancelled", { reason }),
  };
};

/** The same event, said to have happened at `instant`. */
export const at = (instant: string, input: EventInput): EventInput => ({ ...input, at: instant });
