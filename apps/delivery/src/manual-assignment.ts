import {
  type Courier,
  type CourierId,
  type DeliveryBoardEntry,
  type DomainError,
  deliveriesByCourier,
  domainError,
  type OrderId,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";

export type ManualAssignmentError = DomainError<"COURIER_NOT_FOUND" | "COURIER_AT_CAPACITY">;

/** Couriers are reference data: only those configured can be given a delivery. */
export const knownCourier = (
  couriers: ReadonlyArray<Courier>,
  courierId: CourierId,
): E.Either<ManualAssignmentError, Courier> => {
  const courier = couriers.find((c) => c.id === courierId);
  return courier === undefined
    ? E.left(domainError("COURIER_NOT_FOUND", `There is no courier ${courierId}.`, { courierId }))
    : E.right(courier);
};

/**
 * Whether the courier can take one more delivery, by the board's count of what they carry.
 * Capacity spans many Delivery streams, so no single aggregate can decide it: this is a check on
 * a read model and may let one through while the board lags, never more than the lag allows.
 * The delivery itself is not counted, so assigning it again to its courier stays a no-op.
 */
export const hasRoom = (
  courier: Courier,
  board: ReadonlyArray<DeliveryBoardEntry>,
  orderId: OrderId,
): E.Either<ManualAssignmentError, Courier> => {
  const carrying = (deliveriesByCourier(board).get(courier.id) ?? []).filter(
    (d) => d.orderId !== orderId,
  ).length;
  return carrying < courier.capacity
    ? E.right(courier)
    : E.left(
        domainError(
          "COURIER_AT_CAPACITY",
          `Courier ${courier.id} already carries ${carrying} of ${courier.capacity} deliveries.`,
          { courierId: courier.id, capacity: courier.capacity, active: carrying },
        ),
      );
};
