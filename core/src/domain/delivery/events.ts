import * as t from "io-ts";
import { CourierId, OrderId, Text } from "../../shared/codecs.js";
import { type EventsOf, eventRegistry, versioned } from "../../shared/event-registry.js";
import { DeliveryWindow } from "./delivery-window.js";

export const deliveryEventCodecs = {
  DeliveryRequested: t.type({ orderId: OrderId }),
  /**
   * v2: the window the courier will come in, as the customer is told it. A v1 assignment was made
   * before windows existed: its window is `null`, unknown, never guessed.
   */
  CourierAssigned: versioned(
    t.type({
      orderId: OrderId,
      courierId: CourierId,
      window: t.union([DeliveryWindow, t.null]),
    }),
    [
      {
        codec: t.type({ orderId: OrderId, courierId: CourierId }),
        upcast: (v1: { orderId: OrderId; courierId: CourierId }) => ({ ...v1, window: null }),
      },
    ],
  ),
  DeliveryPickedUp: t.type({ orderId: OrderId, courierId: CourierId }),
  DeliveryCompleted: t.type({ orderId: OrderId, courierId: CourierId }),
  DeliveryFailed: t.type({ orderId: OrderId, courierId: CourierId, reason: Text }),
  /** A failed delivery is back on the list awaiting a courier, with none. */
  DeliveryRescheduled: t.type({ orderId: OrderId }),
  /**
   * A failed or hand-cancelled delivery is asked for again (by staff, or the sweep): it awaits a
   * courier, with none, as a new request would.
   */
  DeliveryRerequested: t.type({ orderId: OrderId }),
  /** Nobody carries it; a later RequestDelivery is a no-op, only a re-request revives it. */
  DeliveryCancelled: t.type({ orderId: OrderId, reason: Text }),
};

export const deliveryEvents = eventRegistry(deliveryEventCodecs);
export type DeliveryEvent = EventsOf<typeof deliveryEventCodecs>;
