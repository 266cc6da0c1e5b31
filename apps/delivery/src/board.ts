import {
  ACTIVE_DELIVERIES,
  AWAITING_COURIER,
  awaitingCourier,
  type Courier,
  type CourierId,
  type DeliveryBoardEntry,
  deliveriesByCourier,
  deliveryBoardProjection,
  type EventStore,
  FAILED_DELIVERIES,
  type PagePosition,
  type ReadModelStore,
  readGroup,
  readPage,
  readViews,
} from "@mebel/core";

/**
 * The dispatcher's board, read from the delivery-board projection (it may lag the log) through
 * its indexes: what is waiting and what couriers carry, never the deliveries long done.
 */
export const deliveryBoard = (readModels: ReadModelStore, store: EventStore) => {
  const views = readViews(deliveryBoardProjection, readModels);
  const group = (name: string) => readGroup(deliveryBoardProjection, readModels, name, name);
  return {
    /** Deliveries couriers carry now: bounded by the couriers' capacity, so read whole. */
    active: () => group(ACTIVE_DELIVERIES),
    /** A page of the deliveries waiting for a courier, the longest waiting first. */
    awaiting: (limit: number, after: PagePosition | undefined) =>
      readPage(deliveryBoardProjection, readModels, AWAITING_COURIER, {
        group: AWAITING_COURIER,
        limit,
        after,
      }),
    /** Deliveries that failed, the longest unchanged first: bounded by what the sweep asks again. */
    failed: () => group(FAILED_DELIVERIES),
    /**
     * Resolves once the board has applied everything up to `position`, or after `timeoutMs`
     * (whichever instance runs it, it is the stored checkpoint that says): a live feed then tells
     * its clients to read a board that has the change.
     */
    reached: async (position: bigint, timeoutMs = 2_000): Promise<boolean> => {
      for (let waited = 0; ; waited += 50) {
        if (((await views.checkpoint()) ?? -1n) >= position) return true;
        if (waited >= timeoutMs) return false;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    /** Events (log positions on EventStoreDB) the board has still to apply. */
    lag: async (): Promise<bigint> => {
      const [checkpoint, head] = await Promise.all([views.checkpoint(), store.head()]);
      return head === undefined ? 0n : head - (checkpoint ?? 0n);
    },
    /** Where in the log the board is: what a reader of their own write waits for. */
    checkpoint: () => views.checkpoint(),
  };
};

/** A board entry as clients see it: without the projection's bookkeeping of applied revisions. */
const shown = ({ revisions: _, ...entry }: DeliveryBoardEntry) => entry;

/** Each courier's deliveries still to carry; every configured courier is listed, busy or not. */
const byCourier = (
  couriers: ReadonlyArray<Courier>,
  entries: ReadonlyArray<DeliveryBoardEntry>,
) => {
  const active = deliveriesByCourier(entries);
  const ids = [...new Set([...couriers.map((c) => c.id), ...active.keys()])];
  return Object.fromEntries(ids.map((id) => [id, (active.get(id) ?? []).map(shown)]));
};

/** The board: a page of what waits (`next`: the cursor of the following one), what is carried. */
export const boardBody = (
  couriers: ReadonlyArray<Courier>,
  awaiting: ReadonlyArray<DeliveryBoardEntry>,
  active: ReadonlyArray<DeliveryBoardEntry>,
  failed: ReadonlyArray<DeliveryBoardEntry>,
  lag: bigint,
  next: string | null,
) => ({
  awaitingCourier: awaitingCourier(awaiting).map(shown),
  byCourier: byCourier(couriers, active),
  failed: failed.map(shown),
  lag,
  next,
});

/** One courier's deliveries still to carry, and how far behind the log the board is. */
export const courierBody = (
  courierId: CourierId,
  active: ReadonlyArray<DeliveryBoardEntry>,
  lag: bigint,
) => ({
  courierId,
  deliveries: (deliveriesByCourier(active).get(courierId) ?? []).map(shown),
  lag,
});

/** Each configured courier with how many deliveries they carry now (assigned or picked up). */
export const couriersBody = (
  couriers: ReadonlyArray<Courier>,
  entries: ReadonlyArray<DeliveryBoardEntry>,
) => {
  const active = deliveriesByCourier(entries);
  return couriers.map(({ id, name, capacity }) => ({
    id,
    name,
    capacity,
    active: active.get(id)?.length ?? 0,
  }));
};
