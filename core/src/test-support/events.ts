import { addressFromLine } from "../domain/order/delivery-address.js";
import type { OrderEvent } from "../domain/order/events.js";
import type {
  CourierId,
  CustomerId,
  LineId,
  MinorUnits,
  OrderId,
  Quantity,
  Sku,
  Text,
} from "../shared/codecs.js";
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

// The order a decider's tests follow, in the decider's own types (its events carry no stream),
// so that the order's examples and its transition table tell of the same order.

export const orderId = "o-1" as OrderId;
export const customerId = "c-1" as CustomerId;
export const sofa = "SOFA-OSLO-3" as Sku;
export const anna = "anna" as CourierId;
export const reason = "changed my mind" as Text;
export const address = addressFromLine("Nevsky 1, St Petersburg" as Text);
export const sofaLine = { lineId: "l1" as LineId, sku: sofa, quantity: 1 as Quantity };

export const created: OrderEvent = { type: "OrderCreated", data: { orderId, customerId } };
export const itemAdded = (
  lineId: string,
  sku = sofa,
  quantity = 1,
  unitPrice = 49_900,
): OrderEvent => ({
  type: "OrderItemAdded",
  data: {
    orderId,
    lineId: lineId as LineId,
    sku,
    quantity: quantity as Quantity,
    unitPrice: unitPrice as MinorUnits,
  },
});
export const placed: OrderEvent = {
  type: "OrderPlaced",
  data: { orderId, deliveryAddress: address, total: 49_900 as MinorUnits },
};
export const processingStarted: OrderEvent = { type: "OrderProcessingStarted", data: { orderId } };
export const assembled: OrderEvent = { type: "OrderAssembled", data: { orderId } };
export const handedToCourier: OrderEvent = {
  type: "OrderHandedToCourier",
  data: { orderId, courierId: anna, lines: [sofaLine] },
};
