import * as E from "fp-ts/lib/Either.js";
import type { LineId, Sku } from "../../shared/codecs.js";
import type { Decider } from "../../shared/decider.js";
import { type DomainError, domainError } from "../../shared/domain-error.js";
import type { StockItemCommand } from "./commands.js";
import type { StockItemEvent } from "./events.js";
import {
  heldFor,
  holding,
  type LiveReservations,
  noReservations,
  type Reservation,
  without,
} from "./live-reservations.js";

export type { LiveReservations, Reservation } from "./live-reservations.js";

/**
 * Only live reservations are kept, so the state stays small however long the stream grows.
 * `reserved` is their sum, kept alongside so availability costs nothing to read.
 */
export interface StockItemState {
  readonly sku: Sku | null;
  readonly onHand: number;
  readonly reserved: number;
  readonly reservations: LiveReservations;
}

export type StockItemErrorCode =
  | "INSUFFICIENT_STOCK"
  | "RESERVATION_CONFLICT"
  | "SKU_MISMATCH"
  /** Releasing or dispatching on a stock item that has never been stocked, so never reserved. */
  | "STOCK_ITEM_NOT_FOUND";
export type StockItemError = DomainError<StockItemErrorCode>;

export const available = (state: StockItemState): number => state.onHand - state.reserved;

export const initialStockItemState: StockItemState = {
  sku: null,
  onHand: 0,
  reserved: 0,
  reservations: noReservations,
};

/** The live reservation of `lineId`, if there is one. */
export const reservationOf = (state: StockItemState, lineId: LineId): Reservation | undefined =>
  heldFor(state.reservations, lineId);

// Each case builds the whole state as a literal: V8 copies a spread object key by key, several
// times slower, and a long stream folds this once per event.
export const evolveStockItem = (state: StockItemState, event: StockItemEvent): StockItemState => {
  const { sku, onHand, reserved, reservations } = state;
  switch (event.type) {
    case "StockReceived":
      return { sku: event.data.sku, onHand: onHand + event.data.quantity, reserved, reservations };
    case "StockReserved": {
      const { lineId, orderId, quantity } = event.data;
      return {
        sku: event.data.sku,
        onHand,
        reserved: reserved + quantity,
        reservations: holding(reservations, { lineId, orderId, quantity }),
      };
    }
    case "StockReservationReleased":
      return {
        sku,
        onHand,
        reserved: reserved - event.data.quantity,
        reservations: without(reservations, event.data.lineId),
      };
    case "StockDispatched":
      return {
        sku,
        onHand: onHand - event.data.quantity,
        reserved: reserved - event.data.quantity,
        reservations: without(reservations, event.data.lineId),
      };
  }
};

const none: E.Either<never, ReadonlyArray<StockItemEvent>> = E.right([]);

const decideStockItem = (
  command: StockItemCommand,
  state: StockItemState,
): E.Either<StockItemError, ReadonlyArray<StockItemEvent>> => {
  if (state.sku !== null && state.sku !== command.sku) {
    return E.left(
      domainError("SKU_MISMATCH", `This stock item is ${state.sku}, not ${command.sku}.`, {
        sku: command.sku,
      }),
    );
  }
  switch (command.type) {
    case "ReceiveStock":
      return E.right([
        { type: "StockReceived", data: { sku: command.sku, quantity: command.quantity } },
      ]);
    case "ReserveStock": {
      const existing = reservationOf(state, command.lineId);
      if (existing !== undefined) {
        return existing.orderId === command.orderId && existing.quantity === command.quantity
          ? none
          : E.left(
              domainError(
                "RESERVATION_CONFLICT",
                `Line ${command.lineId} already holds a different reservation.`,
                { lineId: command.lineId },
              ),
            );
      }
      if (command.quantity > available(state)) {
        return E.left(
          domainError(
            "INSUFFICIENT_STOCK",
            `Only ${available(state)} of ${command.sku} available, ${command.quantity} requested.`,
            { sku: command.sku, requested: command.quantity, available: available(state) },
          ),
        );
      }
      const { sku, orderId, lineId, quantity } = command;
      return E.right([{ type: "StockReserved", data: { sku, orderId, lineId, quantity } }]);
    }
    case "ReleaseReservation":
    case "DispatchReservation":
      // Nothing was ever reserved on a stock item that never had stock: a release or dispatch
      // for it means its stream was not found where it should be, not that the work is done.
      if (state.sku === null) return notFound(command.sku);
      return command.type === "ReleaseReservation"
        ? release(command, state)
        : dispatch(command, state);
  }
};

const notFound = (sku: Sku): E.Either<StockItemError, never> =>
  E.left(domainError("STOCK_ITEM_NOT_FOUND", `Stock item ${sku} has never been stocked.`, { sku }));

const release = (
  command: Extract<StockItemCommand, { readonly type: "ReleaseReservation" }>,
  state: StockItemState,
): E.Either<StockItemError, ReadonlyArray<StockItemEvent>> => {
  // Releasing what is not held is a no-op: releases arrive from retries and from several
  // processes (removal, cancellation, the orphan sweep) and must not fail each other.
  const held = reservationOf(state, command.lineId);
  if (held === undefined || held.orderId !== command.orderId) return none;
  const { sku, orderId, lineId, reason } = command;
  return E.right([
    {
      type: "StockReservationReleased",
      data: { sku, orderId, lineId, quantity: held.quantity, reason },
    },
  ]);
};

const dispatch = (
  command: Extract<StockItemCommand, { readonly type: "DispatchReservation" }>,
  state: StockItemState,
): E.Either<StockItemError, ReadonlyArray<StockItemEvent>> => {
  const held = reservationOf(state, command.lineId);
  if (held === undefined || held.orderId !== command.orderId) return none;
  const { sku, orderId, lineId } = command;
  return E.right([
    { type: "StockDispatched", data: { sku, orderId, lineId, quantity: held.quantity } },
  ]);
};

export const stockItemDecider: Decider<
  StockItemCommand,
  StockItemEvent,
  StockItemState,
  StockItemError
> = {
  initialState: initialStockItemState,
  decide: decideStockItem,
  evolve: evolveStockItem,
};
