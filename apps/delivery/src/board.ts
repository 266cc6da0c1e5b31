import {
  awaitingCourier,
  type Courier,
  type CourierId,
  type DeliveryBoardEntry,
  deliveriesByCourier,
  deliveryBoardProjection,
  type EventStore,
  type ReadModelStore,
  readViews,
} from "@mebel/core";

/** The dispatcher's board, read from the delivery-board projection (it may lag the log). */
export const deliveryBoard = (readModels: ReadModelStore, store: EventStore) => {
  const views = readViews(deliveryBoardProjection, readModels);
  return {
    entries: async (): Promise<ReadonlyArray<DeliveryBoardEntry>> => [
      ...(await views.all()).values(),
    ],
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

export const boardBody = (
  couriers: ReadonlyArray<Courier>,
  entries: ReadonlyArray<DeliveryBoardEntry>,
  lag: bigint,
) => ({
  awaitingCourier: awaitingCourier(entries).map(shown),
  byCourier: byCourier(couriers, entries),
  failed: [...entries]
    .filter((e) => e.status === "failed")
    .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0))
    .map(shown),
  lag,
});

/** One courier's deliveries still to carry, and how far behind the log the board is. */
export const courierBody = (
  courierId: CourierId,
  entries: ReadonlyArray<DeliveryBoardEntry>,
  lag: bigint,
) => ({
  courierId,
  deliveries: (deliveriesByCourier(entries).get(courierId) ?? []).map(shown),
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
