import {
  type ChangeStreamDeps,
  type Principal,
  principalOf,
  problem,
  type StreamEvent,
  type StreamSlots,
  sendProblem,
  streamChanges,
  streamSlots,
} from "@mebel/adapter-http";
import type { OrderView, Role, WarehouseStage } from "@mebel/core";
import type { Request, Response } from "express";
import type { SiteChange } from "./change-feed.js";

/** Open staff streams: in all, and of one account (a few tabs each). */
export const STAFF_STREAM_LIMITS = { total: 500, perKey: 10 } as const;

/** What one role hears of a committed change. */
export type StaffSelector = (change: SiteChange) => ReadonlyArray<StreamEvent>;

/** Where each of the order's own events puts it on the warehouse floor (as the queue's view does). */
const STAGE_AFTER: Readonly<Record<string, WarehouseStage>> = {
  OrderPlaced: "to_process",
  OrderProcessingStarted: "processing",
  OrderAssembled: "assembled",
  OrderHandedToCourier: "done",
  OrderCancelled: "cancelled",
};

/**
 * The order's warehouse stage, from its timeline's Order-stream steps alone: the status a customer
 * sees merges delivery's steps in (a rescheduled delivery awaits a courier again), the warehouse's
 * work does not.
 */
export const warehouseStageOf = (view: OrderView): WarehouseStage =>
  view.timeline.reduce<WarehouseStage>(
    (stage, step) => (step.stream.startsWith("Order-") ? (STAGE_AFTER[step.type] ?? stage) : stage),
    "draft",
  );

/**
 * The warehouse's floor: `order` (where a placed order stands, its stage and picking list; drafts
 * are not work yet) and `stock` (on hand, reserved, available of an SKU). No customer, address or
 * price: staff screens need none of them.
 */
const warehouse: StaffSelector = (change) => {
  if (change.doc === undefined) return [];
  if (change.kind === "order") {
    const { orderId, status, lines, placedAt, updatedAt } = change.doc;
    const stage = warehouseStageOf(change.doc);
    if (stage === "draft") return [];
    const picking = lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));
    return [["order", { orderId, stage, status, lines: picking, placedAt, updatedAt }]];
  }
  if (change.kind === "availability") {
    const { sku, onHand, reserved, available } = change.doc;
    return [["stock", { sku, onHand, reserved, available }]];
  }
  return [];
};

/**
 * Which roles hear what on `/staff/events`. Another role's screen joins by adding its selector
 * here and its role to the route's entry in the access policy.
 */
export const STAFF_SELECTORS: Partial<Readonly<Record<Role, StaffSelector>>> = { warehouse };

const selectorsOf = (principal: Principal): ReadonlyArray<StaffSelector> =>
  principal.roles.includes("admin")
    ? Object.values(STAFF_SELECTORS)
    : principal.roles.flatMap((r) => STAFF_SELECTORS[r] ?? []);

const full = () =>
  problem(503, "TOO_MANY_STREAMS", "Too many live pages are open for this account.");

/**
 * `GET /staff/events`: the staff's live screens, opened with a ticket (never a token in the URL),
 * ending when the token behind the ticket expires. Each event is what the caller's roles may see.
 */
export const staffEvents = (
  deps: ChangeStreamDeps<SiteChange> & { readonly slots?: StreamSlots },
) => {
  const slots = deps.slots ?? streamSlots(STAFF_STREAM_LIMITS);
  return (req: Request, res: Response): void => {
    const principal = principalOf(res) as Principal;
    const release = slots.take(principal.sub);
    if (release === undefined) {
      res.setHeader("Retry-After", "30");
      sendProblem(res, full());
      return;
    }
    const selectors = selectorsOf(principal);
    streamChanges(req, res, deps, {
      select: (change) => selectors.flatMap((select) => select(change)),
      onClose: release,
    });
  };
};
