import { domainProblem, etagOf, type Problem, type Reply } from "@mebel/adapter-http";
import {
  type DeliveryState,
  deliveryAggregate,
  deliveryStream,
  type EventStore,
  loadAggregate,
  type OrderId,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";

export interface DeliveryAt {
  readonly state: DeliveryState;
  /** Revision of the stream's last event: the ETag. */
  readonly revision: bigint;
}

/** One delivery as its own stream tells it, never a read model: what commands are decided on. */
export const loadDelivery = async (
  store: EventStore,
  orderId: OrderId,
): Promise<E.Either<Problem, DeliveryAt>> =>
  E.mapLeft(domainProblem)(await loadAggregate(store, deliveryAggregate, deliveryStream(orderId)));

/** The answer for one delivery: `{orderId, status, courierId, window}`, its revision as ETag. */
export const deliveryReply = (orderId: OrderId, at: DeliveryAt): E.Either<Problem, Reply> =>
  at.state.status === "none"
    ? E.left(
        domainProblem({
          code: "DELIVERY_NOT_FOUND",
          message: `No delivery was requested for order ${orderId}.`,
          details: { orderId },
        }),
      )
    : E.right({
        body: {
          orderId,
          status: at.state.status,
          courierId: at.state.courierId,
          window: at.state.window,
        },
        etag: etagOf(at.revision),
      });
