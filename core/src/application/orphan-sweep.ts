import * as E from "fp-ts/lib/Either.js";
import type { ReservationRef } from "../projections/reservation-ledger.js";
import { own } from "../shared/own.js";
import type { CommandBus } from "./command-bus.js";
import type { CommandContext } from "./command-context.js";

type OrphanedReservation = ReservationRef;

export interface SweepReport {
  readonly released: ReadonlyArray<OrphanedReservation>;
  /** The line turned out to be on the order after all (the ledger lagged): nothing to do. */
  readonly attached: ReadonlyArray<OrphanedReservation>;
  readonly failed: ReadonlyArray<OrphanedReservation & { readonly error: string }>;
}

/**
 * Settles reservations whose order line never arrived. The fence goes first: once the order has
 * recorded OrderLineAbandoned (or is no longer a draft), the line can never be added, so releasing
 * cannot leave a line without stock. If the order holds the line, the reservation is kept.
 */
export const sweepOrphans =
  (bus: CommandBus) =>
  async (
    orphans: ReadonlyArray<OrphanedReservation>,
    context: CommandContext,
  ): Promise<SweepReport> => {
    const released: OrphanedReservation[] = [];
    const attached: OrphanedReservation[] = [];
    const failed: Array<OrphanedReservation & { error: string }> = [];
    for (const orphan of orphans) {
      const { orderId, lineId, sku } = orphan;
      const fenced = await bus.order({ type: "AbandonLine", orderId, lineId }, context)();
      if (E.isLeft(fenced)) {
        failed.push({ ...orphan, error: fenced.left.code });
        continue;
      }
      const order = fenced.right.state;
      if (order.status !== "none" && own(order.lines, lineId) !== undefined) {
        attached.push(orphan);
        continue;
      }
      const release = await bus.stockItem(
        { type: "ReleaseReservation", sku, orderId, lineId, reason: "abandoned" },
        context,
      )();
      if (E.isLeft(release)) failed.push({ ...orphan, error: release.left.code });
      else released.push(orphan);
    }
    return { released, attached, failed };
  };
