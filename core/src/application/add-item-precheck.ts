import * as E from "fp-ts/lib/Either.js";
import type { OrderState } from "../domain/order/order.js";
import type { OrderId } from "../shared/codecs.js";
import { domainError } from "../shared/domain-error.js";
import type { HandlingError } from "./command-handler.js";
import type { CorruptEvent } from "./load-aggregate.js";
import type { StateAt } from "./state-cache.js";

/** Reads of the order for the pre-check: the cached state (maybe behind), and a fresh one. */
export interface OrderReads {
  readonly asCached: (
    orderId: OrderId,
  ) => Promise<E.Either<CorruptEvent, StateAt<OrderState> & { readonly cached: boolean }>>;
  readonly fresh: (orderId: OrderId) => Promise<E.Either<CorruptEvent, StateAt<OrderState>>>;
}

export type PrecheckError =
  | CorruptEvent
  | HandlingError
  | ReturnType<typeof domainError<"ORDER_NOT_FOUND">>;

const refusal = (
  orderId: OrderId,
  expectedRevision: bigint | undefined,
  seen: StateAt<OrderState>,
): PrecheckError | undefined => {
  if (seen.state.status === "none") {
    return domainError("ORDER_NOT_FOUND", `Order ${orderId} does not exist.`, { orderId });
  }
  if (expectedRevision === undefined || expectedRevision === seen.revision) return undefined;
  return domainError(
    "PRECONDITION_FAILED",
    `Order ${orderId} is at revision ${seen.revision}, not ${expectedRevision} as the request expected.`,
    { expected: expectedRevision, actual: seen.revision },
  );
};

/**
 * Reserving comes before the line (docs/add-item.md), so an order that is missing or has moved on
 * would cost a reservation and its release. Refusing those first writes nothing; the order stream
 * still decides, since it can change between this read and the write. The cached state is enough
 * to let a request through; a refusal is confirmed on a fresh read.
 */
export const precheckOrder = async (
  reads: OrderReads,
  orderId: OrderId,
  expectedRevision: bigint | undefined,
): Promise<E.Either<PrecheckError, void>> => {
  const cached = await reads.asCached(orderId);
  if (E.isLeft(cached)) return cached;
  if (refusal(orderId, expectedRevision, cached.right) === undefined) return E.right(undefined);
  const current = cached.right.cached ? await reads.fresh(orderId) : cached;
  if (E.isLeft(current)) return current;
  const refused = refusal(orderId, expectedRevision, current.right);
  return refused === undefined ? E.right(undefined) : E.left(refused);
};
