import { Digits, decodePart, parseIfMatch, withSchema } from "@mebel/adapter-http";
import { CourierId, DeliveryBoardEntry, DeliveryWindow, OrderId, Text } from "@mebel/core";
import type { Request } from "express";
import * as t from "io-ts";

export const DeliveryPath = t.type({ orderId: OrderId });
export const CourierPath = t.type({ courierId: CourierId });
/**
 * The courier, and when they come. Without a window the shop's slot policy gives the courier's
 * first slot with room; a re-assignment to the courier who has it keeps the one it has.
 */
export const AssignBody = t.intersection([
  t.type({ courierId: CourierId }),
  t.partial({ window: DeliveryWindow }),
]);
/** A courier's pick-up needs none; staff name the courier who took the goods. */
export const PickUpBody = t.union([t.undefined, t.partial({ courierId: CourierId })]);
/** Why: a delivery failed, or is cancelled. */
export const ReasonBody = t.type({ reason: Text });

export const deliveryPath = (req: Request) => decodePart(DeliveryPath, "path")(req.params);
export const courierPath = (req: Request) => decodePart(CourierPath, "path")(req.params);

export const ifMatch = (req: Request) => parseIfMatch(req.get("if-match"));

// What the routes answer (delivery-view.ts and board.ts build them).

const DeliveryStatus = t.keyof({
  awaiting_courier: null,
  assigned: null,
  picked_up: null,
  completed: null,
  failed: null,
  cancelled: null,
});

export const DeliveryBody = t.type({
  orderId: OrderId,
  status: DeliveryStatus,
  courierId: t.union([CourierId, t.null]),
  /** When the courier comes, as the customer is told; null while none is known. */
  window: t.union([DeliveryWindow, t.null]),
});

/** A board entry without the projection's bookkeeping of applied revisions. */
const { revisions: _revisions, ...shownEntry } = DeliveryBoardEntry.props;
const BoardEntry = t.type(shownEntry);

export const BoardBody = t.type({
  awaitingCourier: t.readonlyArray(BoardEntry),
  byCourier: t.record(t.string, t.readonlyArray(BoardEntry)),
  /** Failed deliveries waiting to be asked again, the longest unchanged first. */
  failed: t.readonlyArray(BoardEntry),
  lag: Digits,
  /** The cursor of the next page of those awaiting a courier; null on the last. */
  next: t.union([t.string, t.null]),
});

export const CourierDeliveriesBody = t.type({
  courierId: CourierId,
  deliveries: t.readonlyArray(BoardEntry),
  lag: Digits,
});

const Count = withSchema(
  t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, "Count"),
  { type: "integer", minimum: 0 },
);
export const CouriersBody = t.readonlyArray(
  t.type({ id: CourierId, name: t.string, capacity: Count, active: Count }),
);
