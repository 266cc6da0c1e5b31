import {
  decodeAll,
  decodePart,
  domainProblem,
  type Problem,
  requestContext,
  route,
} from "@mebel/adapter-http";
import type {
  CommandBus,
  Courier,
  DeliveryCommand,
  EventStore,
  OrderId,
  ReadModelStore,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { deliveryBoard } from "./board.js";
import { deliveryReply, loadDelivery } from "./delivery-view.js";
import { hasRoom, knownCourier } from "./manual-assignment.js";
import { AssignBody, deliveryPath, ifMatch, ReasonBody } from "./requests.js";

export interface CommandRouteDeps {
  readonly bus: CommandBus;
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly couriers: ReadonlyArray<Courier>;
}

type AssignCourier = Extract<DeliveryCommand, { type: "AssignCourier" }>;

export const commandRoutes = (deps: CommandRouteDeps) => {
  const board = deliveryBoard(deps.readModels, deps.store);

  /**
   * A command on one delivery: decode path, body and If-Match (every failing field named), run
   * the checks the aggregate cannot make, decide it as this request's, answer the delivery after
   * it with its new ETag.
   */
  const commandRoute = <Body, Command extends DeliveryCommand>(
    body: t.Decoder<unknown, Body>,
    toCommand: (orderId: OrderId, body: Body) => Command,
    check: (
      command: Command,
      expectedRevision?: bigint,
    ) => Promise<E.Either<Problem, unknown>> = async () => E.right(undefined),
  ) =>
    route(async (req, res) => {
      const input = decodeAll({
        path: deliveryPath(req),
        body: decodePart(body, "body")(req.body),
        ifMatch: ifMatch(req),
      });
      if (E.isLeft(input)) return input;
      const command = toCommand(input.right.path.orderId, input.right.body);
      const expectedRevision = input.right.ifMatch;
      const checked = await check(command, expectedRevision);
      if (E.isLeft(checked)) return checked;
      const handled = await deps.bus.delivery(
        command,
        requestContext(res),
        expectedRevision === undefined ? {} : { expectedRevision },
      )();
      return E.isLeft(handled)
        ? E.left(domainProblem(handled.left))
        : deliveryReply(command.orderId, handled.right);
    });

  /**
   * A known courier, with room. Capacity is checked only when the command would assign: the
   * delivery is waiting and the caller's If-Match, if any, still holds. Otherwise the aggregate
   * has the better answer (a no-op for its own courier, DELIVERY_ALREADY_ASSIGNED, 404, 412).
   */
  const courierCanTake = async (
    { orderId, courierId }: AssignCourier,
    expectedRevision?: bigint,
  ): Promise<E.Either<Problem, unknown>> => {
    const courier = knownCourier(deps.couriers, courierId);
    if (E.isLeft(courier)) return E.left(domainProblem(courier.left));
    const delivery = await loadDelivery(deps.store, orderId);
    if (E.isLeft(delivery)) return delivery;
    const { state, revision } = delivery.right;
    const wouldAssign =
      state.status === "awaiting_courier" &&
      (expectedRevision === undefined || expectedRevision === revision);
    return wouldAssign
      ? E.mapLeft(domainProblem)(hasRoom(courier.right, await board.active(), orderId))
      : E.right(undefined);
  };

  return {
    /** `POST /deliveries/:orderId/assign {courierId}`: a dispatcher's choice, within capacity. */
    assign: commandRoute(
      AssignBody,
      (orderId, { courierId }) => ({ type: "AssignCourier", orderId, courierId }),
      courierCanTake,
    ),
    /** `POST /deliveries/:orderId/complete`: the courier delivered. It takes no body. */
    complete: commandRoute(t.unknown, (orderId) => ({ type: "CompleteDelivery", orderId })),
    /** `POST /deliveries/:orderId/fail {reason}`: the courier could not deliver. */
    fail: commandRoute(ReasonBody, (orderId, { reason }) => ({
      type: "FailDelivery",
      orderId,
      reason,
    })),
    /**
     * `POST /deliveries/:orderId/reschedule`: try a failed delivery again; it awaits a courier,
     * and the assignment manager places it as it would a new request. It takes no body.
     */
    reschedule: commandRoute(t.unknown, (orderId) => ({ type: "RescheduleDelivery", orderId })),
    /**
     * `POST /deliveries/:orderId/cancel {reason}`: nobody is to carry it any more, which frees its
     * courier. Cancelling an order does this by itself; this is a dispatcher's call on the delivery
     * alone. A delivery never requested is still 404: there is nothing to answer with.
     */
    cancel: commandRoute(ReasonBody, (orderId, { reason }) => ({
      type: "CancelDelivery",
      orderId,
      reason,
    })),
  };
};
