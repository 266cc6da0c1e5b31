import { problem } from "@mebel/adapter-http";
import {
  type Availability,
  availabilityProjection,
  NOTIFICATIONS_BY_CUSTOMER,
  notificationsProjection,
  ORDERS_BY_CUSTOMER,
  type OrderView,
  orderViewProjection,
  type PagePosition,
  type Position,
  type ReadModelStore,
  readGroup,
  readModelName,
  readPage,
  readView,
  readViews,
  type Sku,
} from "@mebel/core";

/** Typed reads of the site's views. */
export const siteViews = (readModels: ReadModelStore) => ({
  orders: readViews(orderViewProjection, readModels),
  notifications: readViews(notificationsProjection, readModels),
  availability: readViews(availabilityProjection, readModels),
  /** A page of a customer's orders, newest first, through the customer index. */
  ordersOf: (customerId: string, limit: number, after: PagePosition | undefined) =>
    readPage(orderViewProjection, readModels, ORDERS_BY_CUSTOMER, {
      group: customerId,
      limit,
      after,
      order: "desc",
    }),
  /** The notification documents of a customer's orders (one per order), through the index. */
  notificationsOf: (customerId: string) =>
    readGroup(notificationsProjection, readModels, NOTIFICATIONS_BY_CUSTOMER, customerId),
  /** A page of them, the orders first told about most recently first. */
  notificationsPageOf: (customerId: string, limit: number, after: PagePosition | undefined) =>
    readPage(notificationsProjection, readModels, NOTIFICATIONS_BY_CUSTOMER, {
      group: customerId,
      limit,
      after,
      order: "desc",
    }),
  /** The availability of a few SKUs, in one read: what a page of the listing needs. */
  availabilityOf: async (skus: ReadonlyArray<Sku>): Promise<ReadonlyMap<string, Availability>> => {
    const raw = await readModels.getMany(readModelName(availabilityProjection), skus);
    return new Map([...raw].map(([sku, doc]) => [sku, readView(availabilityProjection, sku, doc)]));
  },
});
export type SiteViews = ReturnType<typeof siteViews>;

/** An order view as a customer sees it: without the projection's bookkeeping. */
export type PublicOrderView = Omit<OrderView, "revisions">;

export const publicOrderView = ({ revisions: _bookkeeping, ...view }: OrderView): PublicOrderView =>
  view;

/** The same answer whether the order does not exist or is someone else's: nothing leaks. */
export const orderNotFound = (orderId: string) =>
  problem(404, "ORDER_NOT_FOUND", "There is no such order for this customer.", {
    details: { orderId },
  });

/** How far a view is behind the log: events on PostgreSQL and memory, log positions on EventStoreDB. */
export const lagOf = (head: Position | undefined, checkpoint: Position | undefined): bigint => {
  if (head === undefined) return 0n;
  const lag = head - (checkpoint ?? 0n);
  return lag > 0n ? lag : 0n;
};
