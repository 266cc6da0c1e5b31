import {
  type AnyProjection,
  decodeBatch,
  type EventStore,
  loadAggregate,
  type OrderState,
  orderAggregate,
  readViews,
  replay,
  type StockItemState,
  type StoredEvent,
  stockItemAggregate,
} from "@mebel/core";
import { openInfrastructure, readSettings } from "@mebel/runtime";
import * as E from "fp-ts/lib/Either.js";
import { expect } from "vitest";
import { eventually, testStaff } from "./test-process.js";

/** Longest any request may take in these tests: beyond it, the service hung. */
export const REQUEST_BOUND_MS = 20_000;

/** An HTTP answer, or status 0 when the connection failed (-1 when no answer came in time). */
export interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field in tests
  readonly body: any;
}

export const request = async (method: string, url: string, body?: unknown): Promise<Answer> => {
  try {
    const res = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(await testStaff()),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(REQUEST_BOUND_MS),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, retryAfter: res.headers.get("retry-after"), body: parsed };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return { status: timedOut ? -1 : 0, retryAfter: null, body: undefined };
  }
};

/** What the services acknowledged (answered 2xx) during the load. */
export interface Acknowledged {
  readonly orders: string[];
  readonly lines: Array<{ readonly orderId: string; readonly lineId: string }>;
  readonly assembled: string[];
  /** Every status seen, so a test can show there was no 500 and no hang. */
  readonly statuses: Map<number, number>;
}

export const acknowledged = (): Acknowledged => ({
  orders: [],
  lines: [],
  assembled: [],
  statuses: new Map(),
});

export const SKUS = ["FAULT-LAMP", "FAULT-CHAIR"] as const;

/**
 * Customers' journeys against the warehouse, one after another per worker until `stop`: create,
 * add an item, place, start processing, mark assembled. A journey that meets a refusal or a fault
 * is left where it stopped (it may leave an orphan reservation for the sweep), as a client that
 * gave up would leave it.
 */
export const startLoad = (
  warehouses: ReadonlyArray<string>,
  ack: Acknowledged,
  workers = 3,
): { readonly stop: () => Promise<void> } => {
  let stopped = false;
  let n = 0;
  const step = async (method: string, url: string, body?: unknown): Promise<Answer> => {
    const answer = await request(method, url, body);
    ack.statuses.set(answer.status, (ack.statuses.get(answer.status) ?? 0) + 1);
    return answer;
  };
  const journey = async (): Promise<void> => {
    n += 1;
    const base = warehouses[n % warehouses.length] as string;
    const order = await step("POST", `${base}/orders`, { customerId: `fault-${n}` });
    if (order.status !== 201) return;
    const orderId = order.body.orderId as string;
    ack.orders.push(orderId);
    const added = await step("POST", `${base}/orders/${orderId}/items`, {
      sku: SKUS[n % SKUS.length],
      quantity: 1,
    });
    if (added.status !== 201) return;
    ack.lines.push({ orderId, lineId: added.body.lineId });
    const url = `${base}/orders/${orderId}`;
    if ((await step("POST", `${url}/place`, { deliveryAddress: "Nevsky 1" })).status !== 200)
      return;
    if ((await step("POST", `${url}/start-processing`)).status !== 200) return;
    if ((await step("POST", `${url}/mark-assembled`)).status === 200) ack.assembled.push(orderId);
  };
  const worker = async (): Promise<void> => {
    while (!stopped) {
      await journey();
      // A client that met a fault waits a moment instead of hammering.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const running = Promise.all(Array.from({ length: workers }, worker));
  return {
    stop: async () => {
      stopped = true;
      await running;
    },
  };
};

/** Every subscriber of the service running (or standing by, with `standby`), none behind. */
export const settled = (service: string, what: string, standby = false) =>
  eventually(
    () => request("GET", `${service}/health`),
    (r) =>
      r.status === 200 &&
      r.body.subscribers.length > 0 &&
      r.body.subscribers.every(
        (s: { state: string; lag: string | null }) =>
          (s.state === "running" && s.lag === "0") || (standby && s.state === "standby"),
      ),
    `${what}: every subscriber running with no lag`,
    30_000,
  );

/** The whole log, page by page. */
export const everything = async (store: EventStore): Promise<StoredEvent[]> => {
  const events: StoredEvent[] = [];
  for (let page = await store.readAll({ maxCount: 5_000 }); ; ) {
    events.push(...page.events);
    if (page.isEnd || page.position === undefined) return events;
    page = await store.readAll({ after: page.position, maxCount: 5_000 });
  }
};

/** An aggregate's state, or a thrown error for a stream that does not decode. */
export const fold = async <S>(load: Promise<E.Either<unknown, { state: S }>>): Promise<S> => {
  const loaded = await load;
  if (E.isLeft(loaded)) throw new Error("corrupt stream");
  return loaded.right.state;
};

/**
 * Opens the stores directly (not through any proxy) and checks: every acknowledged order, line
 * and assembly is there; no stock oversold, no reservation without a live line (once the sweep
 * has run) nor a live line without one; one delivery request per assembled order; once `settle`
 * says the services caught up, each service's read models equal their replay from zero.
 */
export const checkEverything = async (
  databaseUrl: string,
  ack: Acknowledged,
  views: Readonly<Record<string, ReadonlyArray<AnyProjection>>>,
  settle: () => Promise<unknown>,
  { deliveries = true }: { readonly deliveries?: boolean } = {},
): Promise<void> => {
  const open = (stateSchema: string) => {
    const settings = readSettings({
      EVENTSTORE_URL: databaseUrl,
      MEBEL_SCHEMA: "events",
      MEBEL_STATE_SCHEMA: stateSchema,
    });
    if (E.isLeft(settings)) throw new Error(settings.left.join("; "));
    return openInfrastructure(settings.right);
  };
  const infra = await open("events");
  try {
    /** Live order lines, and the lines each stock reservation is for. */
    const lines = async () => {
      const live = new Set<string>();
      const orders = new Set(
        (await everything(infra.store))
          .map((e) => e.streamName)
          .filter((stream) => stream.startsWith("Order-")),
      );
      for (const stream of orders) {
        const order: OrderState = await fold(loadAggregate(infra.store, orderAggregate, stream));
        if (order.status !== "none" && order.status !== "cancelled") {
          for (const lineId of Object.keys(order.lines)) live.add(lineId);
        }
      }
      const reserved: string[] = [];
      for (const sku of SKUS) {
        const stock: StockItemState = await fold(
          loadAggregate(infra.store, stockItemAggregate, `StockItem-${sku}`),
        );
        expect(stock.reserved).toBeLessThanOrEqual(stock.onHand);
        for (const { lineId } of stock.reservations) reserved.push(lineId);
      }
      return { live, reserved };
    };
    // Journeys cut short leave reservations without a line; the sweep releases them after the
    // grace. A line without its reservation would never heal: that is what is checked after.
    const { live, reserved } = await eventually(
      lines,
      ({ live, reserved }) => reserved.every((lineId) => live.has(lineId)),
      "orphan reservations released by the sweep",
      20_000,
    );
    expect(new Set(reserved).size, "one reservation per line").toBe(reserved.length);
    expect([...reserved].sort()).toEqual([...live].sort());
    for (const { lineId } of ack.lines) expect(live.has(lineId), `line ${lineId}`).toBe(true);
    // The sweeps' releases reach every read model before they are compared with a replay.
    await settle();

    const events = await everything(infra.store);
    const byStream = new Map<string, StoredEvent[]>();
    for (const event of events) {
      byStream.set(event.streamName, [...(byStream.get(event.streamName) ?? []), event]);
    }
    for (const orderId of ack.orders) expect(byStream.has(`Order-${orderId}`)).toBe(true);

    for (const orderId of deliveries ? ack.assembled : []) {
      const requests = (byStream.get(`Delivery-${orderId}`) ?? []).filter(
        (e) => e.type === "DeliveryRequested",
      );
      expect(requests, `delivery requests for ${orderId}`).toHaveLength(1);
    }

    const decoded = decodeBatch(events);
    for (const [schema, projections] of Object.entries(views)) {
      const state = await open(schema);
      try {
        for (const projection of projections) {
          const view = await readViews(projection, state.readModels).all();
          expect(view, `${schema}: ${projection.name}`).toEqual(replay(projection, decoded));
        }
      } finally {
        await state.close();
      }
    }
  } finally {
    await infra.close();
  }
};
