/**
 * What deciding a command on each aggregate may be refused with: its decider's codes and the
 * command handling's (docs/events.md, Errors), for the routes' specs to name.
 */

/** Whatever deciding on a stream can refuse beside its decider's own codes. */
export const HANDLING = ["CONCURRENCY_CONFLICT", "CORRUPT_EVENT", "PRECONDITION_FAILED"] as const;

/** What an order command may be refused with: the Order decider's codes (docs/events.md). */
export const ORDER_REFUSALS = [
  ...HANDLING,
  "ORDER_NOT_FOUND",
  "ORDER_ALREADY_EXISTS",
  "ORDER_NOT_DRAFT",
  "ORDER_EMPTY",
  "ORDER_TOO_LARGE",
  "LINE_NOT_FOUND",
  "LINE_CONFLICT",
  "LINE_ABANDONED",
  "INVALID_STATUS_TRANSITION",
] as const;

export const STOCK_REFUSALS = [
  ...HANDLING,
  "INSUFFICIENT_STOCK",
  "RESERVATION_CONFLICT",
  "SKU_MISMATCH",
  "STOCK_ITEM_NOT_FOUND",
] as const;

/** What a delivery command may be refused with: the Delivery decider's codes and the board's. */
export const DELIVERY_REFUSALS = [
  ...HANDLING,
  "DELIVERY_NOT_FOUND",
  "DELIVERY_ALREADY_ASSIGNED",
  "DELIVERY_NOT_ASSIGNED",
  "INVALID_STATUS_TRANSITION",
] as const;
