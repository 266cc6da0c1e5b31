import {
  decodeAll,
  decodePart,
  domainProblem,
  type Problem,
  principalOf,
  problem,
  requestContext,
  route,
} from "@mebel/adapter-http";
import {
  type CommandBus,
  type CommandContext,
  type Courier,
  type CourierId,
  type DeliveryCommand,
  type DeliveryEvent,
  type DeliveryState,
  type DeliveryWindow,
  type DomainError,
  defaultSlotPolicy,
  type EventStore,
  type Handled,
  type HandleOptions,
  type IsoInstant,
  isoInstant,
  nextWindow,
  type OrderId,
  pickUpDelivery,
  type ReadModelStore,
  rerequestDelivery,
  type SlotPolicy,
} from "@mebel/core";
import type { Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { deliveryBoard } from "./board.js";
import { deliveryReply, loadDelivery } from "./delivery-view.js";
import { hasRoom, knownCourier } from "./manual-assignment.js";
import { AssignBody, deliveryPath, ifMatch, PickUpBody, ReasonBody } from "./requests.js";

export interface CommandRouteDeps {
  readonly bus: CommandBus;
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly couriers: ReadonlyArray<Courier>;
  /** How the shop cuts days into delivery slots; the default's half days otherwise. */
  readonly slotPolicy?: SlotPolicy;
  /** The time a dispatcher's command is decided at; the system clock otherwise. */
  readonly now?: () => Date;
}

type AssignCourier = Extract<DeliveryCommand, { type: "AssignCourier" | "ReassignCourier" }>;

type Decided = E.Either<DomainError, Handled<DeliveryEvent, DeliveryState>>;

/** How a route's command is decided: by the bus, or by an application service of the core. */
type Decide<Command> = (
  command: Command,
  context: CommandContext,
  options: HandleOptions,
) => Promise<Decided>;

const courierRequired = (): Problem =>
  problem(400, "COURIER_REQUIRED", "Say which courier took the goods: {courierId}.");

export const commandRoutes = (deps: CommandRouteDeps) => {
  const board = deliveryBoard(deps.readModels, deps.store);

  /**
   * A command on one delivery: decode path, body and If-Match (every failing field named), run
   * the checks the aggregate cannot make, decide it as this request's, answer the delivery after
   * it with its new ETag.
   */
  const byBus: Decide<DeliveryCommand> = (command, context, options) =>
    deps.bus.delivery(command, context, options)();
  const policy = deps.slotPolicy ?? defaultSlotPolicy;
  const now = (): IsoInstant => isoInstant(deps.now?.() ?? new Date());

  /**
   * A dispatcher who names no window gets the courier's first slot with room, by the board's
   * windows of what the courier carries (it may lag, as the capacity check does). A re-assignment
   * to the courier who has the delivery keeps its window: the decider sees no window and no change.
   */
  const withWindow: Decide<AssignCourier> = async (command, context, options) => {
    if (command.window !== undefined) return byBus(command, context, options);
    const delivery = await loadDelivery(deps.store, command.orderId);
    const keeps =
      E.isRight(delivery) &&
      delivery.right.state.status !== "none" &&
      delivery.right.state.courierId === command.courierId;
    if (keeps) return byBus(command, context, options);
    const booked: DeliveryWindow[] = (await board.active()).flatMap((d) =>
      d.courierId === command.courierId && d.orderId !== command.orderId && d.window !== null
        ? [d.window]
        : [],
    );
    const capacity = deps.couriers.find((c) => c.id === command.courierId)?.capacity ?? 1;
    const window = nextWindow(policy, command.at ?? now(), booked, capacity);
    return byBus({ ...command, window }, context, options);
  };

  /**
   * A courier acts on their own delivery only, and on the revision it was theirs at: a delivery
   * re-assigned between this check and the command is a 412, never a step on another's delivery.
   * (The access policy checked it too, from the stream; this pins the revision it saw.)
   */
  const asCaller = async (
    res: Response,
    orderId: OrderId,
    expectedRevision: bigint | undefined,
  ): Promise<E.Either<Problem, bigint | undefined>> => {
    if (res.locals.actorRole !== "courier") return E.right(expectedRevision);
    const delivery = await loadDelivery(deps.store, orderId);
    if (E.isLeft(delivery)) return delivery;
    const { state, revision } = delivery.right;
    const mine = state.status !== "none" && state.courierId === principalOf(res)?.courierId;
    return mine
      ? E.right(expectedRevision ?? revision)
      : E.left(problem(404, "DELIVERY_NOT_FOUND", "There is no such delivery."));
  };

  const commandRoute = <Body, Command extends DeliveryCommand>(
    body: t.Decoder<unknown, Body>,
    /** The command, or `undefined` when it names no courier (a pick-up by staff must). */
    toCommand: (orderId: OrderId, body: Body, caller: CourierId | undefined) => Command | undefined,
    check: (
      command: Command,
      expectedRevision?: bigint,
    ) => Promise<E.Either<Problem, unknown>> = async () => E.right(undefined),
    decide: Decide<Command> = byBus,
  ) =>
    route(async (req, res) => {
      const input = decodeAll({
        path: deliveryPath(req),
        body: decodePart(body, "body")(req.body),
        ifMatch: ifMatch(req),
      });
      if (E.isLeft(input)) return input;
      const command = toCommand(
        input.right.path.orderId,
        input.right.body,
        principalOf(res)?.courierId,
      );
      if (command === undefined) return E.left(courierRequired());
      const expectedRevision = await asCaller(res, command.orderId, input.right.ifMatch);
      if (E.isLeft(expectedRevision)) return expectedRevision;
      const checked = await check(command, expectedRevision.right);
      if (E.isLeft(checked)) return checked;
      const handled = await decide(
        command,
        requestContext(res),
        expectedRevision.right === undefined ? {} : { expectedRevision: expectedRevision.right },
      );
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
      (state.status === "awaiting_courier" ||
        (state.status === "assigned" && state.courierId !== courierId)) &&
      (expectedRevision === undefined || expectedRevision === revision);
    return wouldAssign
      ? E.mapLeft(domainProblem)(hasRoom(courier.right, await board.active(), orderId))
      : E.right(undefined);
  };

  return {
    /** `POST /deliveries/:orderId/assign {courierId}`: a dispatcher's choice, within capacity. */
    assign: commandRoute(
      AssignBody,
      (orderId, { courierId, window }) => ({
        type: "AssignCourier",
        orderId,
        courierId,
        at: now(),
        ...(window === undefined ? {} : { window }),
      }),
      courierCanTake,
      withWindow,
    ),
    /**
     * `POST /deliveries/:orderId/reassign {courierId, window?}`: a dispatcher gives a waiting or
     * assigned delivery, not yet picked up, to another courier (within capacity), or to its own
     * courier in another window; the one it had no longer sees it. A window must start before it
     * ends and not before now (DELIVERY_WINDOW_INVALID).
     */
    reassign: commandRoute(
      AssignBody,
      (orderId, { courierId, window }) => ({
        type: "ReassignCourier",
        orderId,
        courierId,
        at: now(),
        ...(window === undefined ? {} : { window }),
      }),
      courierCanTake,
      withWindow,
    ),
    /**
     * `POST /deliveries/:orderId/pick-up`: the courier took the goods. The first time, that is the
     * order's handover too (see `pickUpDelivery`); after a failed try, the delivery's alone.
     * A courier sends no body; staff acting for one (an admin) send `{courierId}`.
     */
    pickUp: commandRoute(
      PickUpBody,
      (orderId, body, caller) => {
        // A courier's own word is about themselves; staff say who took the goods.
        const courierId = caller ?? body?.courierId;
        return courierId === undefined
          ? undefined
          : ({ type: "PickUpDelivery", orderId, courierId } as const);
      },
      async () => E.right(undefined),
      (command, context, options) =>
        pickUpDelivery(deps, command.orderId, command.courierId, context, options),
    ),
    /**
     * `POST /deliveries/:orderId/rerequest`: ask again for a failed or hand-cancelled delivery of an
     * order still to deliver (see `rerequestDelivery`). It takes no body.
     */
    rerequest: commandRoute(
      t.unknown,
      (orderId) => ({ type: "RerequestDelivery", orderId }) as const,
      async () => E.right(undefined),
      (command, context, options) => rerequestDelivery(deps, command.orderId, context, options),
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
