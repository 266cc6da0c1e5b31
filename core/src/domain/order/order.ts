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
import {
  type Cell,
  go,
  refuse,
  repeat,
  stay,
  type TransitionTable,
} from "../../shared/transition-table.js";
import type { OrderCommand } from "./commands.js";
import type { OrderEvent, OrderLineRef } from "./events.js";

export const orderStatuses = [
  "draft",
  "placed",
  "processing",
  "assembled",
  "handed_to_courier",
  "cancelled",
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

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

type CommandType = OrderCommand["type"];
type Row = Readonly<Record<CommandType, Cell<OrderStatus, OrderErrorCode>>>;

const invalid = refuse("INVALID_STATUS_TRANSITION");
const notDraftCell = refuse("ORDER_NOT_DRAFT");

/**
 * A state past the draft: its items no longer change (an item added before is a no-op, so a
 * retried add stays harmless), only the status steps `own` names are allowed, a line nobody can
 * add any more needs no fencing, and asking for the status it has is a no-op.
 */
const pastDraft = (own: Partial<Row>): Row => ({
  CreateOrder: repeat("ORDER_ALREADY_EXISTS"),
  AddItem: repeat("ORDER_NOT_DRAFT"),
  RemoveItem: notDraftCell,
  AbandonLine: stay,
  PlaceOrder: invalid,
  StartProcessing: invalid,
  MarkAssembled: invalid,
  HandToCourier: invalid,
  CancelOrder: go("cancelled"),
  ...own,
});

/**
 * The Order's lifecycle, state by command: what the decider does (docs/lifecycles.md is drawn
 * from it). draft -> placed -> processing -> assembled -> handed_to_courier, each step a no-op
 * once taken; cancelled from any state before the handover.
 */
export const orderTransitions: TransitionTable<
  OrderState["status"],
  CommandType,
  OrderStatus,
  OrderErrorCode
> = {
  none: {
    CreateOrder: go("draft"),
    AddItem: refuse("ORDER_NOT_FOUND"),
    RemoveItem: refuse("ORDER_NOT_FOUND"),
    // A reservation may name an order that was never created; nothing can add to it.
    AbandonLine: stay,
    PlaceOrder: refuse("ORDER_NOT_FOUND"),
    StartProcessing: refuse("ORDER_NOT_FOUND"),
    MarkAssembled: refuse("ORDER_NOT_FOUND"),
    HandToCourier: refuse("ORDER_NOT_FOUND"),
    CancelOrder: refuse("ORDER_NOT_FOUND"),
  },
  draft: {
    CreateOrder: repeat("ORDER_ALREADY_EXISTS"),
    AddItem: go("draft"),
    RemoveItem: go("draft"),
    AbandonLine: go("draft"),
    PlaceOrder: go("placed"),
    StartProcessing: invalid,
    MarkAssembled: invalid,
    HandToCourier: invalid,
    CancelOrder: go("cancelled"),
  },
  placed: pastDraft({ PlaceOrder: stay, StartProcessing: go("processing") }),
  processing: pastDraft({ StartProcessing: stay, MarkAssembled: go("assembled") }),
  assembled: pastDraft({ MarkAssembled: stay, HandToCourier: go("handed_to_courier") }),
  handed_to_courier: pastDraft({
    HandToCourier: repeat("INVALID_STATUS_TRANSITION"),
    // The goods are with the courier: the order can no longer be called off.
    CancelOrder: invalid,
  }),
  cancelled: pastDraft({ CancelOrder: stay }),
};

/** Where each command leads: what a refused one names as the status it could not go to. */
const targetOf: Readonly<Record<CommandType, OrderStatus>> = {
  CreateOrder: "draft",
  AddItem: "draft",
  RemoveItem: "draft",
  AbandonLine: "draft",
  PlaceOrder: "placed",
  StartProcessing: "processing",
  MarkAssembled: "assembled",
  HandToCourier: "handed_to_courier",
  CancelOrder: "cancelled",
};

const refusal = (code: OrderErrorCode, command: OrderCommand, state: OrderState): Decision => {
  const { orderId } = command;
  const status = state.status;
  switch (code) {
    case "ORDER_NOT_FOUND":
      return notFound(orderId);
    case "ORDER_ALREADY_EXISTS":
      return reject(code, `Order ${orderId} already exists.`, { orderId });
    case "ORDER_NOT_DRAFT":
      return reject(code, `Order ${orderId} is ${status}; items change only in draft.`, {
        orderId,
        status,
      });
    default:
      return reject(
        "INVALID_STATUS_TRANSITION",
        state.status === "handed_to_courier" && command.type === "HandToCourier"
          ? `Order ${orderId} was already handed to courier ${state.courierId}.`
          : `Order ${orderId} cannot go from ${status} to ${targetOf[command.type]}.`,
        { orderId, from: status, to: targetOf[command.type] },
      );
  }
};

/** Whether the command asks for what the order already holds: its customer, line or courier. */
const repeats = (command: OrderCommand, order: ExistingOrder): boolean => {
  switch (command.type) {
    case "CreateOrder":
      return order.customerId === command.customerId;
    case "AddItem": {
      const line = own(order.lines, command.lineId);
      return (
        line !== undefined &&
        line.sku === command.sku &&
        line.quantity === command.quantity &&
        line.unitPrice === command.unitPrice
      );
    }
    case "HandToCourier":
      return order.courierId === command.courierId;
    default:
      return false;
  }
};

/**
 * The events of a command the table allows in this state; what is left to refuse here depends on
 * the command's data (its line, the order's size), never on the status.
 */
const eventsOf = (command: OrderCommand, state: OrderState): Decision => {
  if (state.status === "none") {
    return command.type === "CreateOrder"
      ? emit({
          type: "OrderCreated",
          data: { orderId: command.orderId, customerId: command.customerId },
        })
      : notFound(command.orderId);
  }
  const order = state;
  const orderId = order.orderId;
  switch (command.type) {
    case "CreateOrder":
      return none;
    case "AddItem": {
      const { lineId, sku, quantity, unitPrice } = command;
      if (own(order.lines, lineId) !== undefined) {
        return repeats(command, order)
          ? none
          : reject("LINE_CONFLICT", `Line ${lineId} already holds something else.`, { lineId });
      }
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
      // A line already added, or already fenced, needs no fencing.
      return own(order.lines, command.lineId) !== undefined || own(order.abandoned, command.lineId)
        ? none
        : emit({ type: "OrderLineAbandoned", data: { orderId, lineId: command.lineId } });
    case "PlaceOrder":
      if (Object.keys(order.lines).length === 0) {
        return reject("ORDER_EMPTY", `Order ${orderId} has no items to place.`, { orderId });
      }
      return emit({
        type: "OrderPlaced",
        data: {
          orderId,
          deliveryAddress: command.deliveryAddress,
          total: orderTotal(order.lines) as MinorUnits,
        },
      });
    case "StartProcessing":
      return emit({ type: "OrderProcessingStarted", data: { orderId } });
    case "MarkAssembled":
      return emit({ type: "OrderAssembled", data: { orderId } });
    case "HandToCourier":
      return emit({
        type: "OrderHandedToCourier",
        data: { orderId, courierId: command.courierId, lines: lineRefs(order.lines) },
      });
    case "CancelOrder":
      return emit({
        type: "OrderCancelled",
        data: { orderId, reason: command.reason, lines: lineRefs(order.lines) },
      });
  }
};

const decideOrder = (command: OrderCommand, state: OrderState): Decision => {
  const cell = orderTransitions[state.status][command.type];
  switch (cell.kind) {
    case "go":
      return eventsOf(command, state);
    case "stay":
      return none;
    case "repeat":
      return state.status !== "none" && repeats(command, state)
        ? none
        : refusal(cell.code, command, state);
    case "refuse":
      return refusal(cell.code, command, state);
  }
};

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState, OrderError> = {
  initialState: initialOrderState,
  decide: decideOrder,
  evolve: evolveOrder,
};
