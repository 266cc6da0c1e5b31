import type { OrderViewLine } from "@mebel/core";
import type { OrderView, WarehouseOrder } from "./codecs.js";
import { shop } from "./endpoints.js";
import type { Result } from "./http.js";
import { createStore } from "./store.js";

/** The cart is the customer's draft order, as the warehouse last answered about it. */
export interface CartOrder {
  readonly orderId: string;
  readonly lines: ReadonlyArray<OrderViewLine>;
  readonly total: number;
}

export const cart = createStore<CartOrder | undefined>(undefined);

const ok = <A>(value: A): Result<A> => ({ ok: true, value, etag: null });

const fromAnswer = (order: WarehouseOrder | OrderView): CartOrder | undefined =>
  order.status === "draft"
    ? { orderId: order.orderId, lines: order.lines, total: order.total }
    : undefined;

/** The newest draft of the customer's orders, if there is one. */
export const loadCart = async (customerId: string): Promise<void> => {
  const orders = await shop.orders(customerId);
  if (!orders.ok) return;
  const drafts = orders.value
    .filter((o) => o.status === "draft")
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const current = cart.get();
  // A draft this page made a moment ago may not be in the view yet: it stays.
  if (drafts[0] !== undefined) cart.set(fromAnswer(drafts[0]));
  else if (current !== undefined && !orders.value.some((o) => o.orderId === current.orderId)) {
    return;
  } else cart.set(undefined);
};

const ensureOrder = async (customerId: string): Promise<Result<string>> => {
  const current = cart.get();
  if (current !== undefined) return ok(current.orderId);
  const created = await shop.createOrder(customerId);
  return created.ok ? ok(created.value.orderId) : created;
};

export const addToCart = async (
  customerId: string,
  sku: string,
  quantity: number,
): Promise<Result<CartOrder | undefined>> => {
  const orderId = await ensureOrder(customerId);
  if (!orderId.ok) return orderId;
  const added = await shop.addItem(customerId, orderId.value, sku, quantity);
  if (!added.ok) {
    // The order exists now, even if its first line was refused.
    if (cart.get() === undefined) cart.set({ orderId: orderId.value, lines: [], total: 0 });
    return added;
  }
  cart.set(fromAnswer(added.value.order));
  return ok(cart.get());
};

export const removeLine = async (
  customerId: string,
  lineId: string,
): Promise<Result<CartOrder | undefined>> => {
  const current = cart.get();
  if (current === undefined) return ok(undefined);
  const removed = await shop.removeItem(customerId, current.orderId, lineId);
  if (!removed.ok) return removed;
  cart.set(fromAnswer(removed.value));
  return ok(cart.get());
};

/**
 * A product's quantity in the cart. More is one more line (its units reserved at once); fewer is
 * its lines removed and the new quantity added again, as the warehouse has no "change a line".
 */
export const setQuantity = async (
  customerId: string,
  sku: string,
  quantity: number,
): Promise<Result<CartOrder | undefined>> => {
  const current = cart.get();
  if (current === undefined) return ok(undefined);
  const lines = current.lines.filter((l) => l.sku === sku);
  const have = lines.reduce((n, l) => n + l.quantity, 0);
  if (quantity > have) return addToCart(customerId, sku, quantity - have);
  for (const line of lines) {
    const removed = await removeLine(customerId, line.lineId);
    if (!removed.ok) return removed;
  }
  return quantity > 0 ? addToCart(customerId, sku, quantity) : ok(cart.get());
};

/** The cart's lines by product, for showing: the warehouse keeps one line per addition. */
export const cartRows = (order: CartOrder) => {
  const rows = new Map<
    string,
    { sku: OrderViewLine["sku"]; quantity: number; unitPrice: number }
  >();
  for (const l of order.lines) {
    const row = rows.get(l.sku);
    rows.set(l.sku, {
      sku: l.sku,
      quantity: (row?.quantity ?? 0) + l.quantity,
      unitPrice: l.unitPrice,
    });
  }
  return [...rows.values()];
};
