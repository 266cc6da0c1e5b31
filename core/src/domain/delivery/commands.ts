import * as t from "io-ts";
import { CourierId, IsoInstant, OrderId, Text } from "../../shared/codecs.js";
import { DeliveryWindow } from "./delivery-window.js";

/**
 * The window an assignment promises, and the instant it is decided at (a window may not start
 * before it). A command without a window assigns with none known (`window: null`).
 */
const Scheduling = t.partial({ window: DeliveryWindow, at: IsoInstant });

export const RequestDelivery = t.type({ type: t.literal("RequestDelivery"), orderId: OrderId });
export const AssignCourier = t.intersection([
  t.type({ type: t.literal("AssignCourier"), orderId: OrderId, courierId: CourierId }),
  Scheduling,
]);
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

/**
 * A dispatcher's choice, over the one made before it: the courier to carry a delivery that waits
 * or is assigned but not yet picked up, and when. The same courier with another window moves the
 * delivery's slot; with no window it keeps the one it has. The assignment manager asks with
 * AssignCourier instead, which never takes a delivery from the courier who has it.
 */
export const ReassignCourier = t.intersection([
  t.type({ type: t.literal("ReassignCourier"), orderId: OrderId, courierId: CourierId }),
  Scheduling,
]);
/** Put a failed delivery back on the list awaiting a courier, to try again. */
export const RescheduleDelivery = t.type({
  type: t.literal("RescheduleDelivery"),
  orderId: OrderId,
});
/**
 * Ask again for the delivery of an order whose delivery failed or was cancelled by hand: it awaits
 * a courier again. The order's own stream says whether it still wants delivering (see
 * `rerequestDelivery` in the application); one stream per order keeps it to one live delivery.
 */
export const RerequestDelivery = t.type({
  type: t.literal("RerequestDelivery"),
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
  ReassignCourier,
  PickUpDelivery,
  CompleteDelivery,
  FailDelivery,
  RescheduleDelivery,
  RerequestDelivery,
  CancelDelivery,
]);
export type DeliveryCommand = t.TypeOf<typeof DeliveryCommand>;
