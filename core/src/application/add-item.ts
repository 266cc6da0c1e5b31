import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import type { OrderError, OrderState } from "../domain/order/order.js";
import type { StockItemError } from "../domain/stock-item/stock-item.js";
import type { Revision } from "../events/recorded-event.js";
import type { Catalog, Product } from "../ports/catalog.js";
import type { LineId, OrderId, Quantity, Sku } from "../shared/codecs.js";
import { type DomainError, domainError } from "../shared/domain-error.js";
import { type OrderReads, precheckOrder } from "./add-item-precheck.js";
import type { CommandBus } from "./command-bus.js";
import type { CommandContext } from "./command-context.js";
import type { HandlingError } from "./command-handler.js";

export interface AddItemRequest {
  readonly orderId: OrderId;
  /** Chosen by the caller and reused on retry: it keys both the reservation and the line. */
  readonly lineId: LineId;
  readonly sku: Sku;
  readonly quantity: Quantity;
}

export type AddItemError =
  | OrderError
  | StockItemError
  | HandlingError
  | DomainError<"PRODUCT_NOT_FOUND">
  | DomainError<"CORRUPT_EVENT">;

export interface ItemAdded {
  readonly product: Product;
  readonly order: OrderState;
  readonly orderRevision: Revision;
}

/**
 * Adds a line to an order: reserve on the StockItem stream first (the stock decides, never a read
 * model), then record the line on the Order stream, both keyed by `lineId`.
 *
 * Why this order and what covers each failure (docs/add-item.md tells it in full):
 * - the reservation is authoritative, so the order can never hold a line the stock did not grant;
 * - if the order refuses the line (no longer a draft, line fenced), or the catalog has no such
 *   product (its price is read while the stock decides), the reservation is released here;
 * - if the process dies between the two writes, the reservation is an orphan: the orphan sweep
 *   fences the line on the order (OrderLineAbandoned) and only then releases, so a late write of the
 *   line is refused rather than left without stock;
 * - a retry with the same lineId reserves nothing twice and adds nothing twice.
 */
export const addItem =
  (deps: {
    readonly bus: CommandBus;
    readonly catalog: Catalog;
    /** With them, a missing order or a stale If-Match is refused before anything is written. */
    readonly orders?: OrderReads;
  }) =>
  (
    request: AddItemRequest,
    context: CommandContext,
    /** The order revision the caller saw (If-Match): the line is written only if it still holds. */
    options: { readonly expectedOrderRevision?: Revision } = {},
  ): TE.TaskEither<AddItemError, ItemAdded> =>
  async () => {
    const { orderId, lineId, sku, quantity } = request;
    // The price is read while the order is checked and the stock decides: one round trip less on
    // every line, the longest wait of a busy SKU. An unknown product is rare; its reservation is
    // released below.
    const pricing = deps.catalog.product(sku).then(E.right, E.left);
    if (deps.orders !== undefined) {
      const checked = await precheckOrder(deps.orders, orderId, options.expectedOrderRevision);
      if (E.isLeft(checked)) return checked;
    }
    const [product, reserved] = await Promise.all([
      pricing,
      deps.bus.stockItem({ type: "ReserveStock", sku, orderId, lineId, quantity }, context)(),
    ]);
    const release = () =>
      deps.bus.stockItem(
        { type: "ReleaseReservation", sku, orderId, lineId, reason: "line_rejected" },
        context,
      )();
    if (E.isLeft(product) || O.isNone(product.right)) {
      // Only what this call reserved: one found already held was answered for by an earlier call.
      if (E.isRight(reserved) && reserved.right.events.length > 0) await release();
      if (E.isLeft(product)) throw product.left;
      return E.left(domainError("PRODUCT_NOT_FOUND", `No product with sku ${sku}.`, { sku }));
    }
    if (E.isLeft(reserved)) return reserved;
    const price = product.right.value;

    const added = await deps.bus.order(
      { type: "AddItem", orderId, lineId, sku, quantity, unitPrice: price.price },
      context,
      options.expectedOrderRevision === undefined
        ? {}
        : { expectedRevision: options.expectedOrderRevision },
    )();
    if (E.isRight(added)) {
      return E.right({
        product: price,
        order: added.right.state,
        orderRevision: added.right.revision,
      });
    }
    // LINE_CONFLICT means the line exists with other content: the reservation is that line's.
    if (added.left.code !== "LINE_CONFLICT") await release();
    return added;
  };
