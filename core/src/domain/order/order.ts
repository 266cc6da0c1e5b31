import * as E from "fp-ts/lib/Either.js";
import type {
  CourierId,
  CustomerId,
  MinorUnits,
  OrderId,
  Quantity,
  Sku,
} from "../../shared/codecs.js";
import type { Decider } from "../../shared/decider.js";
import { type DomainError, domainError } from "../../shared/domain-error.js";
import { own } from "../../shared/own.js";
import type { OrderCommand } from "./commands.js";
import type { OrderEvent, OrderLineRef } from "./events.js";

export type OrderStatus =
  | "draft"
  | "placed"
  | "processing"
  | "assembled"
  | "handed_to_courier"
  | "cancelled";

export interface OrderLine {
  readonly sku: Sku;
  readonly quantity: Quantity;
  readonly unitPrice: MinorUnits;
}

export type OrderState =
  | { readonly status: "none" }
  | {
      readonly status: OrderStatus;
      readonly orderId: OrderId;
      readonly customerId: CustomerId;
      readonly lines: Readonly<Record<string, OrderLine>>;
      readonly abandoned: Readonly<Record<string, true>>;
      readonly courierId: CourierId | null;
    };
export type ExistingOrder = Exclude<OrderState, { status: "none" }>;

export type OrderErrorCode =
  | "ORDER_NOT_FOUND"
  | "ORDER_ALREADY_EXISTS"
  | "ORDER_NOT_DRAFT"
  | "ORDER_EMPTY"
  | "ORDER_TOO_LARGE"
  | "LINE_NOT_FOUND"
  | "LINE_CONFLICT"
  | "LINE_ABANDONED"
  | "INVALID_STATUS_TRANSITION";
export type OrderError = DomainError<OrderErrorCode>;

export const MAX_ORDER_LINES = 100;

export const initialOrderState: OrderState = { status: "none" };

export const orderTotal = (lines: Readonly<Record<string, OrderLine>>): number =>
  Object.values(lines).reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);

export const lineRefs = (lines: Readonly<Record<string, OrderLine>>): ReadonlyArray<OrderLineRef> =>
  Object.entries(lines).map(([lineId, { sku, quantity }]) => ({
    lineId: lineId as OrderLineRef["lineId"],
    sku,
    quantity,
  }));

/** An existing order with some of its fields changed, as one object literal. */
const existing = (
  order: ExistingOrder,
  status: OrderStatus,
  lines: ExistingOrder["lines"],
  abandoned: ExistingOrder["abandoned"],
  courierId: CourierId | null,
): OrderState => ({
  status,
  orderId: order.orderId,
  customerId: order.customerId,
  lines,
  abandoned,
  courierId,
});

const withStatus = (state: OrderState, status: OrderStatus): OrderState =>
  state.status === "none"
    ? state
    : existing(state, status, state.lines, state.abandoned, state.courierId);

export const evolveOrder = (state: OrderState, event: OrderEvent): OrderState => {
  switch (event.type) {
    case "OrderCreated":
      return {
        status: "draft",
        orderId: event.data.orderId,
        customerId: event.data.customerId,
        lines: {},
        abandoned: {},
        courierId: null,
      };
    case "OrderItemAdded": {
      if (state.status === "none") return state;
      const { lineId, sku, quantity, unitPrice } = event.data;
      const lines = { ...state.lines, [lineId]: { sku, quantity, unitPrice } };
      return existing(state, state.status, lines, state.abandoned, state.courierId);
    }
    case "OrderItemRemoved": {
      if (state.status === "none") return state;
      const { [event.data.lineId]: _removed, ...lines } = state.lines;
      return existing(state, state.status, lines, state.abandoned, state.courierId);
    }
    case "OrderLineAbandoned": {
      if (state.status === "none") return state;
      const abandoned = { ...state.abandoned, [event.data.lineId]: true as const };
      return existing(state, state.status, state.lines, abandoned, state.courierId);
    }
    case "OrderPlaced":
      return withStatus(state, "placed");
    case "OrderProcessingStarted":
      return withStatus(state, "processing");
    case "OrderAssembled":
      return withStatus(state, "assembled");
    case "OrderHandedToCourier":
      return state.status === "none"
        ? state
        : existing(state, "handed_to_courier", state.lines, state.abandoned, event.data.courierId);
    case "OrderCancelled":
      return withStatus(state, "cancelled");
  }
};

type Decision = E.Either<OrderError, ReadonlyArray<OrderEvent>>;
const none: Decision = E.right([]);
const emit = (...events: ReadonlyArray<OrderEvent>): Decision => E.right(events);
const reject = (
  code: OrderErrorCode,
  message: string,
  details?: Record<string, unknown>,
): Decision => E.left(domainError(code, message, details));

const notFound = (orderId: OrderId): Decision =>
  reject("ORDER_NOT_FOUND", `Order ${orderId} does not exist.`, { orderId });

const notDraft = (order: ExistingOrder): Decision =>
  reject(
    "ORDER_NOT_DRAFT",
    `Order ${order.orderId} is ${order.status}; items change only in draft.`,
    {
      orderId: order.orderId,
      status: order.status,
    },
  );

/**
 * A status step: already there is a no-op (so a retried or duplicated command is harmless),
 * from the expected status it emits, from anywhere else it is refused.
 */
const step = (
  order: ExistingOrder,
  from: OrderStatus,
  to: OrderStatus,
  event: () => OrderEvent,
): Decision => {
  if (order.status === to) return none;
  if (order.status !== from) {
    return reject(
      "INVALID_STATUS_TRANSITION",
      `Order ${order.orderId} cannot go from ${order.status} to ${to}.`,
      { orderId: order.orderId, from: order.status, to },
    );
  }
  return emit(event());
};

const decideExisting = (command: OrderCommand, order: ExistingOrder): Decision => {
  const orderId = order.orderId;
  switch (command.type) {
    case "CreateOrder":
      return order.customerId === command.customerId
        ? none
        : reject("ORDER_ALREADY_EXISTS", `Order ${orderId} already exists.`, { orderId });
    case "AddItem": {
      const { lineId, sku, quantity, unitPrice } = command;
      const existing = own(order.lines, lineId);
      if (existing !== undefined) {
        return existing.sku === sku &&
          existing.quantity === quantity &&
          existing.unitPrice === unitPrice
          ? none
          : reject("LINE_CONFLICT", `Line ${lineId} already holds something else.`, { lineId });
      }
      if (order.status !== "draft") return notDraft(order);
      if (own(order.abandoned, lineId)) {
        return reject("LINE_ABANDONED", `Line ${lineId} was abandoned and its stock released.`, {
          lineId,
        });
      }
      if (Object.keys(order.lines).length >= MAX_ORDER_LINES) {
        return reject("ORDER_TOO_LARGE", `An order holds at most ${MAX_ORDER_LINES} lines.`, {
          orderId,
        });
      }
      return emit({ type: "OrderItemAdded", data: { orderId, lineId, sku, quantity, unitPrice } });
    }
    case "RemoveItem": {
      if (order.status !== "draft") return notDraft(order);
      const line = own(order.lines, command.lineId);
      if (line === undefined) {
        return reject("LINE_NOT_FOUND", `Order ${orderId} has no line ${command.lineId}.`, {
          lineId: command.lineId,
        });
      }
      return emit({
        type: "OrderItemRemoved",
        data: { orderId, lineId: command.lineId, sku: line.sku, quantity: line.quantity },
      });
    }
    case "AbandonLine":
      // Only a draft can still gain this line; otherwise nothing needs fencing.
      return own(order.lines, command.lineId) !== undefined ||
        own(order.abandoned, command.lineId) ||
        order.status !== "draft"
        ? none
        : emit({ type: "OrderLineAbandoned", data: { orderId, lineId: command.lineId } });
    case "PlaceOrder":
      if (order.status === "draft" && Object.keys(order.lines).length === 0) {
        return reject("ORDER_EMPTY", `Order ${orderId} has no items to place.`, { orderId });
      }
      return step(order, "draft", "placed", () => ({
        type: "OrderPlaced",
        data: {
          orderId,
          deliveryAddress: command.deliveryAddress,
          total: orderTotal(order.lines) as MinorUnits,
        },
      }));
    case "StartProcessing":
      return step(order, "placed", "processing", () => ({
        type: "OrderProcessingStarted",
        data: { orderId },
      }));
    case "MarkAssembled":
      return step(order, "processing", "assembled", () => ({
        type: "OrderAssembled",
        data: { orderId },
      }));
    case "HandToCourier":
      if (order.status === "handed_to_courier" && order.courierId !== command.courierId) {
        return reject(
          "INVALID_STATUS_TRANSITION",
          `Order ${orderId} was already handed to courier ${order.courierId}.`,
          { orderId, from: order.status, to: "handed_to_courier" },
        );
      }
      return step(order, "assembled", "handed_to_courier", () => ({
        type: "OrderHandedToCourier",
        data: { orderId, courierId: command.courierId, lines: lineRefs(order.lines) },
      }));
    case "CancelOrder":
      if (order.status === "cancelled") return none;
      if (order.status === "handed_to_courier") {
        return reject(
          "INVALID_STATUS_TRANSITION",
          `Order ${orderId} is already with the courier and can no longer be cancelled.`,
          { orderId, from: order.status, to: "cancelled" },
        );
      }
      return emit({
        type: "OrderCancelled",
        data: { orderId, reason: command.reason, lines: lineRefs(order.lines) },
      });
  }
};

const decideOrder = (command: OrderCommand, state: OrderState): Decision => {
  if (state.status !== "none") return decideExisting(command, state);
  switch (command.type) {
    case "CreateOrder":
      return emit({
        type: "OrderCreated",
        data: { orderId: command.orderId, customerId: command.customerId },
      });
    case "AbandonLine":
      // A reservation may name an order that was never created; nothing can add to it.
      return none;
    default:
      return notFound(command.orderId);
  }
};

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState, OrderError> = {
  initialState: initialOrderState,
  decide: decideOrder,
  evolve: evolveOrder,
};
