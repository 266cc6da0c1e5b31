import {
  ACTIVE_DELIVERIES,
  AWAITING_COURIER,
  awaitingCourier,
  type Courier,
  type DeliveryBoardEntry,
  deliveriesByCourier,
  deliveryBoardProjection,
  type EventStore,
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
  lag: bigint,
  next: string | null,
) => ({
  awaitingCourier: awaitingCourier(awaiting).map(shown),
  byCourier: byCourier(couriers, active),
  lag,
  next,
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
