import fc from "fast-check";
import { wantsDelivering } from "../application/delivery-rerequest.js";
import type { DeliveryState } from "../domain/delivery/delivery.js";
import { defaultSlotPolicy, nextWindow } from "../domain/delivery/slot-policy.js";
import { addressFromLine } from "../domain/order/delivery-address.js";
import type { OrderState } from "../domain/order/order.js";
import type { ProcessCommand } from "../processes/process-manager.js";
import {
  isoInstant,
  type LineId,
  type MinorUnits,
  type OrderId,
  type Quantity,
  type Sku,
  type Text,
} from "../shared/codecs.js";
import {
  ADDRESSES,
  CANCEL_REASONS,
  COURIERS,
  CUSTOMERS,
  choose,
  FAILURE_REASONS,
  PRICES,
  SKUS,
} from "./shop-data.js";
import type { Shop } from "./shop-world.js";

/** One thing that happens in the shop. Numbers pick among what exists when the step runs. */
export type Step =
  | { readonly kind: "receive"; readonly sku: number; readonly quantity: number }
  | { readonly kind: "create"; readonly customer: number }
  | {
      readonly kind: "add";
      readonly order: number;
      readonly sku: number;
      readonly quantity: number;
      readonly price: number;
      /** The adding process dies between the reservation and the line. */
      readonly dies: boolean;
    }
  /** An add that died is tried again, before or after the sweep fenced its line. */
  | { readonly kind: "retryAdd"; readonly pick: number }
  | { readonly kind: "remove"; readonly order: number; readonly line: number }
  /**
   * `cancel`: an order is cancelled; `fail`: a courier gives up on a delivery; `reschedule`: a
   * dispatcher tries a failed delivery again; `cancelDelivery`: a dispatcher calls a delivery off;
   * `rerequest`: a dispatcher asks again for a failed or called-off delivery.
   */
  | {
      readonly kind: "cancel" | "fail" | "reschedule" | "cancelDelivery" | "rerequest";
      readonly order: number;
    }
  /** `advance`: the next step of an order's normal course (place, process, assemble, hand over, deliver). */
  | { readonly kind: "advance" | "assign"; readonly order: number; readonly courier: number }
  /** The orphan sweep settles reservations held for no line. */
  | { readonly kind: "sweep" }
  /** Process managers catch up on some of what they were asked to do. */
  | { readonly kind: "react"; readonly count: number };

const pick = fc.nat();
const kind = <K extends Step["kind"]>(k: K) => fc.constant(k);

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: kind("receive"),
      sku: pick,
      quantity: fc.integer({ min: 1, max: 8 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: kind("create"), customer: pick }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: kind("add"),
      order: pick,
      sku: pick,
      quantity: fc.integer({ min: 1, max: 3 }),
      price: pick,
      dies: fc.nat({ max: 9 }).map((n) => n === 0),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: kind("retryAdd"), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: kind("remove"), order: pick, line: pick }) },
  { weight: 14, arbitrary: fc.record({ kind: kind("advance"), order: pick, courier: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: kind("cancel"), order: pick }) },
  { weight: 2, arbitrary: fc.record({ kind: kind("fail"), order: pick }) },
  { weight: 3, arbitrary: fc.record({ kind: kind("reschedule"), order: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: kind("cancelDelivery"), order: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: kind("rerequest"), order: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: kind("assign"), order: pick, courier: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: kind("sweep") }) },
  {
    weight: 5,
    arbitrary: fc.record({ kind: kind("react"), count: fc.integer({ min: 1, max: 6 }) }),
  },
);

/** A step and the time that passed before it: a second to most of a working day. */
export const timedStep = fc.tuple(step, fc.integer({ min: 1_000, max: 6 * 3_600_000 }));

interface AddAttempt {
  readonly sku: Sku;
  readonly orderId: OrderId;
  readonly lineId: LineId;
  readonly quantity: Quantity;
  readonly unitPrice: MinorUnits;
}

const linesOf = (order: OrderState): ReadonlyArray<LineId> =>
  order.status === "none" ? [] : (Object.keys(order.lines) as LineId[]);

/**
 * What the shop's people and services do: the site adding items (reserve, then add, releasing if
 * the order refuses), the warehouse and couriers moving orders along, the orphan sweep. Remembers
 * the adds that died half-way, so they can be retried.
 */
export const shopFloor = (shop: Shop) => {
  const unfinishedAdds: AddAttempt[] = [];
  let lines = 0;
  const order = (command: Extract<ProcessCommand, { aggregate: "Order" }>["command"]) =>
    ({ aggregate: "Order", command }) as const;
  const delivery = (command: Extract<ProcessCommand, { aggregate: "Delivery" }>["command"]) =>
    ({ aggregate: "Delivery", command }) as const;
  const ordersIn = (...statuses: ReadonlyArray<OrderState["status"]>) =>
    shop.orderIds().filter((id) => statuses.includes(shop.orderOf(id).status));
  const deliveriesIn = (...statuses: ReadonlyArray<DeliveryState["status"]>) =>
    shop.orderIds().filter((id) => statuses.includes(shop.deliveryOf(id).status));
  const holdsLine = (orderId: OrderId, lineId: LineId): boolean =>
    linesOf(shop.orderOf(orderId)).includes(lineId);

  const reserve = ({ sku, orderId, lineId, quantity }: AddAttempt, causationId: string) =>
    shop.dispatch(
      { aggregate: "StockItem", command: { type: "ReserveStock", sku, orderId, lineId, quantity } },
      causationId,
    );

  /** Step 2 of adding an item, with its compensation when the order refuses the line. */
  const attach = (add: AddAttempt, causationId: string): void => {
    const { sku, orderId, lineId, quantity, unitPrice } = add;
    const added = shop.dispatch(
      order({ type: "AddItem", orderId, lineId, sku, quantity, unitPrice }),
      causationId,
    );
    if (added) return;
    shop.dispatch(
      {
        aggregate: "StockItem",
        command: { type: "ReleaseReservation", sku, orderId, lineId, reason: "line_rejected" },
      },
      causationId,
    );
  };

  /** The next command in an order's normal course, if something can happen to it now. */
  const nextInCourse = (orderId: OrderId, choice: number, courier: number) => {
    const state = shop.orderOf(orderId);
    const assignment = shop.deliveryOf(orderId);
    switch (state.status) {
      case "draft": {
        const deliveryAddress = addressFromLine(choose(ADDRESSES, choice) as Text);
        return linesOf(state).length === 0
          ? undefined
          : order({ type: "PlaceOrder", orderId, deliveryAddress });
      }
      case "placed":
        return order({ type: "StartProcessing", orderId });
      case "processing":
        return order({ type: "MarkAssembled", orderId });
      case "assembled": {
        // The warehouse hands the order to the courier who comes for it: the assigned one, if any.
        const assigned = assignment.status === "none" ? null : assignment.courierId;
        const courierId = assigned ?? COURIERS[courier % COURIERS.length]?.id;
        return courierId === undefined
          ? undefined
          : order({ type: "HandToCourier", orderId, courierId });
      }
      case "handed_to_courier":
        return assignment.status === "picked_up"
          ? delivery({ type: "CompleteDelivery", orderId })
          : undefined;
      default:
        return undefined;
    }
  };

  /** The orphan sweep, as the application runs it: fence the line, then release. */
  const sweep = (causationId: string): void => {
    for (const { sku, reservations } of shop.stockItems()) {
      for (const { lineId, orderId } of reservations) {
        if (sku === null || holdsLine(orderId, lineId)) continue;
        shop.dispatch(order({ type: "AbandonLine", orderId, lineId }), causationId);
        shop.dispatch(
          {
            aggregate: "StockItem",
            command: { type: "ReleaseReservation", sku, orderId, lineId, reason: "abandoned" },
          },
          causationId,
        );
      }
    }
  };

  const run = (s: Step, causationId: string): void => {
    switch (s.kind) {
      case "receive": {
        const sku = choose(SKUS, s.sku) as Sku;
        const quantity = s.quantity as Quantity;
        shop.dispatch(
          { aggregate: "StockItem", command: { type: "ReceiveStock", sku, quantity } },
          causationId,
        );
        return;
      }
      case "create": {
        const orderId = `o-${shop.orderIds().length + 1}` as OrderId;
        const customerId = choose(CUSTOMERS, s.customer) as (typeof CUSTOMERS)[number];
        shop.dispatch(order({ type: "CreateOrder", orderId, customerId }), causationId);
        return;
      }
      case "add": {
        // Now and then the order moves on while the buyer is still adding: the line is refused.
        const orderId = choose(s.order % 8 === 0 ? shop.orderIds() : ordersIn("draft"), s.order);
        if (orderId === undefined) return;
        lines += 1;
        const add: AddAttempt = {
          sku: choose(SKUS, s.sku) as Sku,
          orderId,
          lineId: `l-${lines}` as LineId,
          quantity: s.quantity as Quantity,
          unitPrice: choose(PRICES, s.price) as MinorUnits,
        };
        if (!reserve(add, causationId)) return;
        if (s.dies) unfinishedAdds.push(add);
        else attach(add, causationId);
        return;
      }
      case "retryAdd": {
        const add = choose(unfinishedAdds, s.pick);
        if (add === undefined) return;
        unfinishedAdds.splice(unfinishedAdds.indexOf(add), 1);
        if (reserve(add, causationId) || holdsLine(add.orderId, add.lineId))
          attach(add, causationId);
        return;
      }
      case "remove": {
        const orderId = choose(
          ordersIn("draft").filter((id) => linesOf(shop.orderOf(id)).length > 0),
          s.order,
        );
        const lineId =
          orderId === undefined ? undefined : choose(linesOf(shop.orderOf(orderId)), s.line);
        if (orderId === undefined || lineId === undefined) return;
        shop.dispatch(order({ type: "RemoveItem", orderId, lineId }), causationId);
        return;
      }
      case "advance": {
        const candidates = shop
          .orderIds()
          .flatMap((id) => nextInCourse(id, s.order, s.courier) ?? []);
        const next = choose(candidates, s.order);
        if (next !== undefined) shop.dispatch(next, causationId);
        return;
      }
      case "cancel": {
        const orderId = choose(ordersIn("draft", "placed", "processing", "assembled"), s.order);
        const reason = choose(CANCEL_REASONS, s.order) as Text;
        if (orderId !== undefined) {
          shop.dispatch(order({ type: "CancelOrder", orderId, reason }), causationId);
        }
        return;
      }
      case "assign": {
        const orderId = choose(deliveriesIn("awaiting_courier"), s.order);
        const courierId = (choose(COURIERS, s.courier) as (typeof COURIERS)[number]).id;
        if (orderId !== undefined) {
          // A dispatcher gives a window, or (as assignments made before windows did) none.
          const at = isoInstant(shop.now());
          const scheduling =
            s.order % 2 === 0 ? { at, window: nextWindow(defaultSlotPolicy, at, [], 1) } : {};
          shop.dispatch(
            delivery({ type: "AssignCourier", orderId, courierId, ...scheduling }),
            causationId,
          );
        }
        return;
      }
      case "fail": {
        const orderId = choose(deliveriesIn("assigned", "picked_up"), s.order);
        const reason = choose(FAILURE_REASONS, s.order) as Text;
        if (orderId !== undefined) {
          shop.dispatch(delivery({ type: "FailDelivery", orderId, reason }), causationId);
        }
        return;
      }
      case "reschedule": {
        // Any failed delivery, even one whose order was cancelled meanwhile: the dispatcher may
        // act before the cancellation reaches the delivery.
        const orderId = choose(deliveriesIn("failed"), s.order);
        if (orderId !== undefined) {
          shop.dispatch(delivery({ type: "RescheduleDelivery", orderId }), causationId);
        }
        return;
      }
      case "rerequest": {
        // As rerequestDelivery does: only for an order that still wants delivering, which it reads
        // from the Order stream before it asks.
        const orderId = choose(
          deliveriesIn("failed", "cancelled").filter((id) =>
            wantsDelivering(shop.orderOf(id).status),
          ),
          s.order,
        );
        if (orderId !== undefined) {
          shop.dispatch(delivery({ type: "RerequestDelivery", orderId }), causationId);
        }
        return;
      }
      case "cancelDelivery": {
        const orderId = choose(deliveriesIn("awaiting_courier", "assigned", "failed"), s.order);
        const reason = choose(CANCEL_REASONS, s.order) as Text;
        if (orderId !== undefined) {
          shop.dispatch(delivery({ type: "CancelDelivery", orderId, reason }), causationId);
        }
        return;
      }
      case "sweep":
        sweep(causationId);
        return;
      case "react":
        shop.catchUp(s.count);
        return;
    }
  };

  return { run, sweep };
};
