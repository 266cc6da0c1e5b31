import {
  createHttpApp,
  domainProblem,
  etagOf,
  finishHttpApp,
  idempotency,
  type Listening,
  type Logger,
  listen,
  type Problem,
  parseIfMatch,
  problem,
  type Reply,
  requestContext,
  route,
  stableId,
} from "@mebel/adapter-http";
import { createMemoryIdempotencyStore, uuids } from "@mebel/adapter-memory";
import {
  addItem,
  type Catalog,
  type CommandBus,
  type EventStore,
  type ExistingOrder,
  LineId,
  loadAggregate,
  OrderCommand,
  OrderId,
  type OrderState,
  orderAggregate,
  orderStream,
  Quantity,
  Sku,
  stockItemAggregate,
  stockItemStream,
  unsafeDecode,
} from "@mebel/core";
import type { Request, Response } from "express";
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { failureSwitch } from "./failure-switch.js";

/** What the stub was asked, as it arrived: to check what the site passes on. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}

export interface StubWarehouse extends Listening {
  readonly received: ReceivedRequest[];
  /** Answer every request with this status from now on (`undefined`: behave again). */
  readonly failWith: (status: number | undefined) => void;
}

const NewLine = t.type({ orderId: OrderId, lineId: LineId, sku: Sku, quantity: Quantity });

const orderBody = (state: ExistingOrder) => ({
  orderId: state.orderId,
  customerId: state.customerId,
  status: state.status,
  lines: Object.entries(state.lines).map(([lineId, line]) => ({ lineId, ...line })),
  total: Object.values(state.lines).reduce((sum, l) => sum + l.quantity * l.unitPrice, 0),
  courierId: state.courierId,
});

const orderReply = (
  state: OrderState,
  revision: bigint,
  extra: Partial<Reply> = {},
): E.Either<Problem, Reply> =>
  state.status === "none"
    ? E.left(problem(404, "ORDER_NOT_FOUND", "No such order."))
    : E.right({ ...extra, body: orderBody(state), etag: etagOf(revision) });

/**
 * The warehouse as docs/http-api.md describes the parts the site calls, over the real command
 * handler and the adapter's idempotency keys: not the warehouse app, which is written elsewhere.
 * It trusts what it is sent (the site validated it); anything malformed throws, i.e. answers 500.
 */
export const startStubWarehouse = async (deps: {
  readonly store: EventStore;
  readonly bus: CommandBus;
  readonly catalog: Catalog;
  readonly logger: Logger;
}): Promise<StubWarehouse> => {
  const received: ReceivedRequest[] = [];
  const failures = failureSwitch();
  const app = createHttpApp({ logger: deps.logger });
  app.use((req, _res, next) => {
    received.push({
      method: req.method,
      path: req.originalUrl,
      headers: {
        "idempotency-key": req.get("idempotency-key"),
        "if-match": req.get("if-match"),
        "x-correlation-id": req.get("x-correlation-id"),
      },
      body: req.body,
    });
    next();
  });
  app.use(failures.middleware);
  app.use(idempotency(createMemoryIdempotencyStore(), deps.logger));

  const orderCommand = (make: (req: Request) => unknown, extra: Partial<Reply> = {}) =>
    route(async (req, res) => {
      const command = unsafeDecode(OrderCommand)(make(req));
      const expected = parseIfMatch(req.get("if-match"));
      if (E.isLeft(expected)) return expected;
      const handled = await deps.bus.order(
        command,
        requestContext(res),
        expected.right === undefined ? {} : { expectedRevision: expected.right },
      )();
      if (E.isLeft(handled)) return E.left(domainProblem(handled.left));
      const location = `/orders/${command.orderId}`;
      return orderReply(handled.right.state, handled.right.revision, {
        ...extra,
        ...(extra.status === 201 ? { location } : {}),
      });
    });

  app.post(
    "/orders",
    orderCommand(
      (req) => ({
        type: "CreateOrder",
        orderId: stableId(req.res as Response, "order", uuids.next),
        customerId: req.body.customerId,
      }),
      { status: 201 },
    ),
  );
  app.get(
    "/orders/:orderId",
    route(async (req) => {
      const orderId = unsafeDecode(OrderId)(req.params.orderId);
      const loaded = await loadAggregate(deps.store, orderAggregate, orderStream(orderId));
      if (E.isLeft(loaded)) return E.left(domainProblem(loaded.left));
      return orderReply(loaded.right.state, loaded.right.revision);
    }),
  );
  app.post(
    "/orders/:orderId/items",
    route(async (req, res) => {
      const lineId = unsafeDecode(LineId)(stableId(res, "line", uuids.next));
      const request = unsafeDecode(NewLine)({ ...req.params, ...req.body, lineId });
      const added = await addItem(deps)(request, requestContext(res))();
      if (E.isLeft(added)) return E.left(domainProblem(added.left));
      const { order, orderRevision } = added.right;
      return E.map((reply: Reply) => ({
        ...reply,
        status: 201,
        body: { lineId, order: reply.body },
      }))(orderReply(order, orderRevision));
    }),
  );
  app.delete(
    "/orders/:orderId/items/:lineId",
    orderCommand((req) => ({ type: "RemoveItem", ...req.params })),
  );
  app.post(
    "/orders/:orderId/place",
    orderCommand((req) => ({ type: "PlaceOrder", ...req.params, ...req.body })),
  );
  app.post(
    "/orders/:orderId/cancel",
    orderCommand((req) => ({ type: "CancelOrder", ...req.params, ...req.body })),
  );
  app.get(
    "/stock",
    route(async (req) => {
      const skus = unsafeDecode(t.array(Sku))([req.query.sku].flat());
      const stock = await Promise.all(
        skus.map(async (sku) => {
          const loaded = await loadAggregate(deps.store, stockItemAggregate, stockItemStream(sku));
          const { onHand, reserved } = E.isRight(loaded)
            ? loaded.right.state
            : { onHand: 0, reserved: 0 };
          return { sku, onHand, reserved, available: onHand - reserved };
        }),
      );
      return E.right({ body: stock });
    }),
  );

  const listening = await listen(finishHttpApp(app, deps.logger), 0);
  return {
    ...listening,
    received,
    failWith: failures.failWith,
  };
};
