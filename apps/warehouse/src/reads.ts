import {
  type CorruptEvent,
  type EventStore,
  loadAggregate,
  type OrderId,
  type OrderState,
  orderAggregate,
  orderStream,
  type Sku,
  type StateAt,
  type StateCache,
  stockItemAggregate,
  stockItemStream,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";

/**
 * Aggregates read from their streams, for queries and pre-checks. With the command handler's
 * cache a read folds only what is new since the last command or read, and leaves what it folded
 * there, so a long-lived StockItem stream is not folded from its start on every page view.
 */
export const aggregateReads = (store: EventStore, cache?: StateCache) => {
  const remember = async <State>(
    streamName: string,
    loaded: E.Either<CorruptEvent, StateAt<State>>,
  ): Promise<E.Either<CorruptEvent, StateAt<State>>> => {
    if (E.isRight(loaded) && loaded.right.revision >= 0) await cache?.set(streamName, loaded.right);
    return loaded;
  };
  const order = async (orderId: OrderId) => {
    const streamName = orderStream(orderId);
    return remember(streamName, await loadAggregate(store, orderAggregate, streamName, cache));
  };
  return {
    order,
    /**
     * What the cache holds of the order, which may be behind the stream, else a fresh read. For
     * pre-checks only: a refusal made on it must be confirmed on a fresh read.
     */
    orderAsCached: async (
      orderId: OrderId,
    ): Promise<E.Either<CorruptEvent, StateAt<OrderState> & { readonly cached: boolean }>> => {
      const hit = (await cache?.get(orderStream(orderId))) as StateAt<OrderState> | undefined;
      if (hit !== undefined) return E.right({ ...hit, cached: true });
      return E.map((read: StateAt<OrderState>) => ({ ...read, cached: false }))(
        await order(orderId),
      );
    },
    stock: async (sku: Sku) => {
      const streamName = stockItemStream(sku);
      return remember(
        streamName,
        await loadAggregate(store, stockItemAggregate, streamName, cache),
      );
    },
  };
};
export type AggregateReads = ReturnType<typeof aggregateReads>;
