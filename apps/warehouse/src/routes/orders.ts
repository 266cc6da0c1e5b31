import {
  commandRequest,
  decodePart,
  domainProblem,
  expectedRevisionOption,
  type GuardedRoutes,
  ORDER_REFUSALS,
  type RouteSpec,
  requestContext,
  route,
  stableId,
} from "@mebel/adapter-http";
import { type CommandBus, type Ids, type OrderCommand, OrderId, unsafeDecode } from "@mebel/core";
import type { Request, Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import type * as t from "io-ts";
import {
  Cancellation,
  Handover,
  Ignored,
  LinePath,
  NewOrder,
  OrderBody,
  OrderPath,
  Placement,
} from "../codecs.js";
import type { AggregateReads } from "../reads.js";
import { orderReply } from "../representations.js";

interface OrderCommandRoute<Path, Body> {
  readonly path: t.Decoder<unknown, Path>;
  readonly body: t.Decoder<unknown, Body>;
  /** The command, from the decoded request (and the response, for ids derived from its key). */
  readonly command: (path: Path, body: Body, res: Response) => OrderCommand;
  /** Creating: 201 with a Location. */
  readonly creates?: boolean;
}

/** The spec of an order command: its codecs, the order it answers with, what may refuse it. */
const commandSpec = (
  summary: string,
  parts: { readonly params?: t.Any; readonly body?: t.Any; readonly creates?: boolean },
): RouteSpec => ({
  summary,
  ...parts,
  ifMatch: true,
  command: true,
  responses: parts.creates === true ? { 201: OrderBody } : { 200: OrderBody },
  problems: ORDER_REFUSALS,
});

export const addOrderRoutes = (
  routes: GuardedRoutes,
  deps: {
    readonly bus: CommandBus;
    readonly ids: Ids;
    readonly reads: AggregateReads;
  },
): void => {
  /** Every order command alike: decode, send with If-Match as the expected revision, show the order. */
  const orderCommand = <Path, Body>(spec: OrderCommandRoute<Path, Body>) =>
    route(async (req: Request, res: Response) => {
      const input = commandRequest(req, spec.path, spec.body);
      if (E.isLeft(input)) return input;
      const { path, body, expectedRevision } = input.right;
      const command = spec.command(path, body, res);
      const handled = await deps.bus.order(
        command,
        requestContext(res),
        expectedRevisionOption(expectedRevision),
      )();
      if (E.isLeft(handled)) return E.left(domainProblem(handled.left));
      return orderReply(
        command.orderId,
        handled.right,
        spec.creates ? { status: 201, location: `/orders/${command.orderId}` } : {},
      );
    });

  routes.post(
    "/orders",
    commandSpec("Creates a draft order for a customer", { body: NewOrder, creates: true }),
    orderCommand({
      path: Ignored,
      body: NewOrder,
      creates: true,
      // Derived from the Idempotency-Key when there is one: a re-run creates the same order.
      command: (_path, { customerId }, res) => ({
        type: "CreateOrder",
        orderId: unsafeDecode(OrderId)(stableId(res, "order", deps.ids.next)),
        customerId,
      }),
    }),
  );

  routes.get(
    "/orders/:orderId",
    {
      summary: "An order, live from its stream, with its revision as the ETag",
      params: OrderPath,
      responses: { 200: OrderBody },
      problems: ["ORDER_NOT_FOUND", "CORRUPT_EVENT"],
    },
    route(async (req) => {
      const path = decodePart(OrderPath, "path")(req.params);
      if (E.isLeft(path)) return path;
      const { orderId } = path.right;
      return pipe(
        await deps.reads.order(orderId),
        E.mapLeft(domainProblem),
        E.chain((at) => orderReply(orderId, at)),
      );
    }),
  );

  routes.delete(
    "/orders/:orderId/items/:lineId",
    commandSpec("Removes a line from a draft order; its reservation is released", {
      params: LinePath,
    }),
    orderCommand({
      path: LinePath,
      body: Ignored,
      command: ({ orderId, lineId }) => ({ type: "RemoveItem", orderId, lineId }),
    }),
  );

  routes.post(
    "/orders/:orderId/place",
    commandSpec("Places a draft order for delivery to an address", {
      params: OrderPath,
      body: Placement,
    }),
    orderCommand({
      path: OrderPath,
      body: Placement,
      command: ({ orderId }, { deliveryAddress }) => ({
        type: "PlaceOrder",
        orderId,
        deliveryAddress,
      }),
    }),
  );

  routes.post(
    "/orders/:orderId/start-processing",
    commandSpec("The warehouse starts picking a placed order", { params: OrderPath }),
    orderCommand({
      path: OrderPath,
      body: Ignored,
      command: ({ orderId }) => ({ type: "StartProcessing", orderId }),
    }),
  );

  routes.post(
    "/orders/:orderId/mark-assembled",
    commandSpec("The order is assembled: delivery is requested", { params: OrderPath }),
    orderCommand({
      path: OrderPath,
      body: Ignored,
      command: ({ orderId }) => ({ type: "MarkAssembled", orderId }),
    }),
  );

  routes.post(
    "/orders/:orderId/hand-to-courier",
    commandSpec("The order leaves with a courier: its stock is dispatched", {
      params: OrderPath,
      body: Handover,
    }),
    orderCommand({
      path: OrderPath,
      body: Handover,
      command: ({ orderId }, { courierId }) => ({ type: "HandToCourier", orderId, courierId }),
    }),
  );

  routes.post(
    "/orders/:orderId/cancel",
    commandSpec("Cancels an order before handover: its reservations are released", {
      params: OrderPath,
      body: Cancellation,
    }),
    orderCommand({
      path: OrderPath,
      body: Cancellation,
      command: ({ orderId }, { reason }) => ({ type: "CancelOrder", orderId, reason }),
    }),
  );
};
