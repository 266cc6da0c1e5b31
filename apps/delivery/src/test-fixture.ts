import { createLogger, listen } from "@mebel/adapter-http";
import { testIssuer } from "@mebel/adapter-http/testing";
import {
  createMemoryEventStore,
  createMemoryIdempotencyStore,
  createMemoryReadModelStore,
  manualClock,
  uuids,
} from "@mebel/adapter-memory";
import {
  addressFromLine,
  type CommandContext,
  type Courier,
  CourierId,
  CustomerId,
  commandBus,
  createCommandHandler,
  LineId,
  MinorUnits,
  OrderId,
  Quantity,
  Sku,
  Text,
  unsafeDecode,
} from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { expect } from "vitest";
import { createDeliveryApp } from "./app.js";
import { couriersFromJson } from "./couriers-config.js";
import { deliverySubscribers, startDeliverySubscribers } from "./subscribers.js";

export const couriers = (json: string): ReadonlyArray<Courier> => {
  const decoded = couriersFromJson(json);
  if (E.isLeft(decoded)) throw new Error(decoded.left);
  return decoded.right;
};

export const orderId = unsafeDecode(OrderId);
export const courierId = unsafeDecode(CourierId);

const must = async <A>(task: TE.TaskEither<{ readonly code: string }, A>): Promise<A> => {
  const outcome = await task();
  if (E.isLeft(outcome)) throw new Error(`refused: ${outcome.left.code}`);
  return outcome.right;
};

const warehouse: CommandContext = { correlationId: "warehouse-test", causationId: "test" };

export interface FixtureOptions {
  readonly couriers: ReadonlyArray<Courier>;
  /** Process managers left out, by name: to play a lost or stopped subscriber. */
  readonly without?: ReadonlyArray<string>;
}

/**
 * The delivery service as its composition will run it, on memory adapters: the real command
 * handler, the real subscribers, the app on a real port. The clock is manual so that "longer than
 * the grace" is decided by the test.
 */
export const startFixture = async (options: FixtureOptions) => {
  const clock = manualClock();
  const store = createMemoryEventStore();
  const readModels = createMemoryReadModelStore();
  const bus = commandBus(createCommandHandler({ store, clock, ids: uuids }));
  const all = deliverySubscribers(options.couriers);
  const running = startDeliverySubscribers(
    { store, readModels, bus, clock },
    {
      projections: all.projections,
      processManagers: all.processManagers.filter((m) => !options.without?.includes(m.name)),
    },
  );
  const issuer = await testIssuer();
  // Staff with every role: the scenarios here are about deliveries, not about who may call them.
  const staff = await issuer.bearer("delivery-admin", ["admin"]);
  const app = createDeliveryApp({
    guard: issuer.guard,
    bus,
    store,
    readModels,
    idempotency: createMemoryIdempotencyStore(),
    couriers: options.couriers,
    now: clock.now,
    logger: createLogger("delivery-test", "silent"),
    health: { subscribers: running.status, head: store.head },
  });
  const server = await listen(app, 0);

  /** Waits until every subscriber has caught up, including with what the managers caused. */
  const settle = async (): Promise<void> => {
    for (;;) {
      const head = await store.head();
      if (head === undefined) return;
      await Promise.all(running.subscribers.map((s) => s.waitUntil(head)));
      if ((await store.head()) === head) return;
    }
  };

  /** What the warehouse does up to "assembled", through the bus; a second passes after it. */
  const assembledOrder = async (id: string): Promise<void> => {
    const o = orderId(id);
    await must(
      bus.order(
        { type: "CreateOrder", orderId: o, customerId: unsafeDecode(CustomerId)("olga") },
        warehouse,
      ),
    );
    await must(
      bus.order(
        {
          type: "AddItem",
          orderId: o,
          lineId: unsafeDecode(LineId)(`${id}-line`),
          sku: unsafeDecode(Sku)("SOFA-OSLO-3"),
          quantity: unsafeDecode(Quantity)(1),
          unitPrice: unsafeDecode(MinorUnits)(89_900),
        },
        warehouse,
      ),
    );
    const address = addressFromLine(unsafeDecode(Text)("Nevsky prospekt 28"));
    await must(bus.order({ type: "PlaceOrder", orderId: o, deliveryAddress: address }, warehouse));
    await must(bus.order({ type: "StartProcessing", orderId: o }, warehouse));
    await must(bus.order({ type: "MarkAssembled", orderId: o }, warehouse));
    clock.advance(1_000);
  };

  /** The warehouse hands the order over: its handover manager picks the delivery up. */
  const pickUp = (id: string, courier: string) =>
    must(
      bus.delivery(
        { type: "PickUpDelivery", orderId: orderId(id), courierId: courierId(courier) },
        warehouse,
      ),
    );

  const cancel = (id: string) =>
    must(
      bus.order(
        { type: "CancelOrder", orderId: orderId(id), reason: unsafeDecode(Text)("changed mind") },
        warehouse,
      ),
    );

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers: { ...staff, ...headers } });

  /** A POST with a JSON body; a string is sent as it is, to send what is not JSON. */
  const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers:
        body === undefined
          ? { ...staff, ...headers }
          : { "content-type": "application/json", ...staff, ...headers },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });

  const eventCount = (type?: string): number =>
    store.all().filter((e) => type === undefined || e.type === type).length;

  return {
    url: server.url,
    issuer,
    clock,
    store,
    readModels,
    bus,
    running,
    settle,
    assembledOrder,
    pickUp,
    cancel,
    get,
    post,
    eventCount,
    close: async () => {
      await server.close();
      await running.stop();
    },
  };
};
export type Fixture = Awaited<ReturnType<typeof startFixture>>;

/** The parts of a JSON answer these tests read. */
export interface Answer {
  readonly orderId: string;
  readonly status: string;
  readonly courierId: string | null;
  readonly code: string;
  readonly errors?: ReadonlyArray<{ readonly path: string }>;
}
export const json = async (res: Response): Promise<Answer> => (await res.json()) as Answer;

/** Checks a problem+json answer's status and code; returns it for whatever else a test reads. */
export const expectProblem = async (res: Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const problem = (await json(res)) as Answer & { readonly type: string };
  expect(problem.code).toBe(code);
  return problem;
};
