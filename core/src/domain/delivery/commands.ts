import * as t from "io-ts";
import { CourierId, OrderId, Text } from "../../shared/codecs.js";

export const RequestDelivery = t.type({ type: t.literal("RequestDelivery"), orderId: OrderId });
export const AssignCourier = t.type({
  type: t.literal("AssignCourier"),
  orderId: OrderId,
  courierId: CourierId,
});
export const PickUpDelivery = t.type({
  type: t.literal("PickUpDelivery"),
  orderId: OrderId,
  courierId: CourierId,
});
export const CompleteDelivery = t.type({ type: t.literal("CompleteDelivery"), orderId: OrderId });
export const FailDelivery = t.type({
  type: t.literal("FailDelivery"),
  orderId: OrderId,
  reason: Text,
});

/** Put a failed delivery back on the list awaiting a courier, to try again. */
export const RescheduleDelivery = t.type({
  type: t.literal("RescheduleDelivery"),
  orderId: OrderId,
});
/** Nobody is to carry this delivery any more (its order was cancelled, or a dispatcher said so). */
export const CancelDelivery = t.type({
  type: t.literal("CancelDelivery"),
  orderId: OrderId,
  reason: Text,
});

export const DeliveryCommand = t.union([
  RequestDelivery,
  AssignCourier,
  PickUpDelivery,
  CompleteDelivery,
  FailDelivery,
  RescheduleDelivery,
  CancelDelivery,
]);
export type DeliveryCommand = t.TypeOf<typeof DeliveryCommand>;
