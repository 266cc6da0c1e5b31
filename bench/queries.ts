import { createMemoryReadModelStore } from "@mebel/adapter-memory";
import { createPostgresStores, explaining, type QueryPlan } from "@mebel/adapter-postgres";
import {
  ACTIVE_DELIVERIES,
  type AnyProjection,
  AWAITING_COURIER,
  availabilityProjection,
  awaitingCourier,
  deliveryBoardProjection,
  indexEntriesOf,
  OPEN_WORK,
  ORDERS_BY_CUSTOMER,
  openWarehouseWork,
  ordersOfCustomer,
  orderViewProjection,
  type ReadModelStore,
  readGroup,
  readModelName,
  readPage,
  readViews,
  type Versioned,
  warehouseQueueProjection,
} from "@mebel/core";
import type { Bench, BenchContext } from "./harness/bench.js";
import { STORE_KINDS } from "./harness/databases.js";
import { paired, timed } from "./harness/measure.js";
import type { Profile } from "./harness/profile.js";

const SMALL = 1_000;
const largeSize = (profile: Profile) => (profile.quick ? 10_000 : 100_000);
/** Open work and deliveries waiting or carried: the working set, which does not grow with history. */
const OPEN_ORDERS = 200;
const AWAITING = 100;
const CARRIED = 20;
const ORDERS_PER_CUSTOMER = 5;
const PAGE = 50;
const SEED_BATCH = 2_000;

const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString();
const orderId = (i: number) => `o-${String(i).padStart(7, "0")}`;
const customerOf = (i: number) => `c-${Math.floor(i / ORDERS_PER_CUSTOMER)}`;
const sku = (i: number) => `SKU-${i}`;
const line = (i: number) => ({ lineId: `l-${i}`, sku: sku(i % 500), quantity: 1 });

/** Documents as the projections write them, the i-th order of a shop that has taken `n`. */
const orderView = (i: number) => ({
  orderId: orderId(i),
  customerId: customerOf(i),
  status: "delivered",
  lines: [{ ...line(i), unitPrice: 12_900 }],
  total: 12_900,
  deliveryAddress: null,
  courierId: null,
  deliveryWindow: null,
  timeline: [
    {
      occurredAt: at(i),
      type: "OrderCreated",
      summary: "created",
      stream: `Order-${orderId(i)}`,
      revision: "0",
    },
  ],
  createdAt: at(i),
  placedAt: at(i),
  assembledAt: null,
  updatedAt: at(i),
  revisions: { [`Order-${orderId(i)}`]: "0" },
});
const OPEN_STAGES = ["to_process", "processing", "assembled"];
const queueEntry = (i: number) => ({
  orderId: orderId(i),
  stage: i < OPEN_ORDERS ? OPEN_STAGES[i % 3] : "done",
  lines: [line(i)],
  placedAt: at(i),
  updatedAt: at(i),
  revisions: { [`Order-${orderId(i)}`]: "3" },
});
const boardEntry = (i: number) => ({
  orderId: orderId(i),
  status: i < AWAITING ? "awaiting_courier" : i < AWAITING + CARRIED ? "assigned" : "completed",
  courierId: i < AWAITING ? null : `k-${i % 5}`,
  requestedAt: at(i),
  assignedAt: i < AWAITING ? null : at(i),
  window: null,
  failureReason: null,
  cancellationReason: null,
  updatedAt: at(i),
  revisions: { [`Delivery-${orderId(i)}`]: "2" },
});
const availability = (i: number) => ({
  sku: sku(i),
  onHand: 10,
  reserved: 2,
  available: 8,
  updatedAt: at(i),
  revisions: { [`StockItem-${sku(i)}`]: "4" },
});

interface Seeded {
  readonly projection: AnyProjection;
  readonly doc: (i: number) => Versioned;
}
const SEEDS: ReadonlyArray<Seeded> = [
  { projection: orderViewProjection, doc: orderView },
  { projection: warehouseQueueProjection, doc: queueEntry },
  { projection: deliveryBoardProjection, doc: boardEntry },
  { projection: availabilityProjection, doc: availability },
];

/**
 * Rows written straight into the read models, with the entries the projection's indexes give,
 * through `commit` as a runner writes them (no events: the documents are what is measured).
 */
const seed = async (readModels: ReadModelStore, model: (p: AnyProjection) => string, n: number) => {
  for (const { projection, doc } of SEEDS) {
    const first = projection.codec.decode(doc(0));
    if (first._tag === "Left") throw new Error(`The bench's ${projection.name} is not a document.`);
    for (let from = 0; from < n; from += SEED_BATCH) {
      const docs = new Map<string, unknown>();
      const index = new Map<string, ReturnType<typeof indexEntriesOf>>();
      for (let i = from; i < Math.min(n, from + SEED_BATCH); i += 1) {
        const view = doc(i);
        const key = projection === availabilityProjection ? sku(i) : orderId(i);
        docs.set(key, view);
        if (projection.indexes !== undefined)
          index.set(key, indexEntriesOf(projection.indexes, view));
      }
      await readModels.commit(model(projection), docs, BigInt(from + 1), undefined, index);
    }
  }
};

/**
 * A query on the model of `size` orders; the orders, customers and SKUs it asks for are picked
 * among the first `spread` of them (all by default).
 */
type Query = (size: number, spread?: number) => () => Promise<number>;

/** The queries the routes make, given a model's name; each returns how many it answered. */
const queries = (readModels: ReadModelStore, n: number) => {
  let turn = 0;
  const next = () => (turn = (turn * 7_919 + 1) % n);
  const model = (p: AnyProjection, size: number) => `bench-${size}.${readModelName(p)}`;
  return {
    model,
    indexed: {
      "a customer's orders (newest 20)":
        (size: number, spread = size) =>
        async () => {
          await readPage(
            orderViewProjection,
            readModels,
            ORDERS_BY_CUSTOMER,
            {
              group: customerOf(next() % spread),
              limit: 20,
              order: "desc",
            },
            model(orderViewProjection, size),
          );
          return 1;
        },
      "one order view":
        (size: number, spread = size) =>
        async () => {
          await readViews(orderViewProjection, readModels, model(orderViewProjection, size)).get(
            orderId(next() % spread),
          );
          return 1;
        },
      "warehouse queue (first page)": (size: number) => async () => {
        await readPage(
          warehouseQueueProjection,
          readModels,
          OPEN_WORK,
          {
            group: OPEN_WORK,
            limit: PAGE,
          },
          model(warehouseQueueProjection, size),
        );
        return 1;
      },
      "delivery board (first page, carried)": (size: number) => async () => {
        const name = model(deliveryBoardProjection, size);
        await Promise.all([
          readPage(
            deliveryBoardProjection,
            readModels,
            AWAITING_COURIER,
            {
              group: AWAITING_COURIER,
              limit: PAGE,
            },
            name,
          ),
          readGroup(
            deliveryBoardProjection,
            readModels,
            ACTIVE_DELIVERIES,
            ACTIVE_DELIVERIES,
            "asc",
            name,
          ),
        ]);
        return 1;
      },
      "availability of 20 SKUs":
        (size: number, spread = size) =>
        async () => {
          const skus = Array.from({ length: 20 }, () => sku(next() % spread));
          await readModels.getMany(model(availabilityProjection, size), skus);
          return 1;
        },
    },
    /** What the routes did before the indexes: every document read and decoded, then filtered. */
    scanned: {
      "a customer's orders (newest 20)": (size: number) => async () => {
        const all = await readViews(
          orderViewProjection,
          readModels,
          model(orderViewProjection, size),
        ).all();
        ordersOfCustomer(all.values(), customerOf(next() % size)).slice(0, 20);
        return 1;
      },
      "warehouse queue (first page)": (size: number) => async () => {
        const all = await readViews(
          warehouseQueueProjection,
          readModels,
          model(warehouseQueueProjection, size),
        ).all();
        openWarehouseWork(all.values()).slice(0, PAGE);
        return 1;
      },
      "delivery board (first page, carried)": (size: number) => async () => {
        const all = await readViews(
          deliveryBoardProjection,
          readModels,
          model(deliveryBoardProjection, size),
        ).all();
        awaitingCourier(all.values()).slice(0, PAGE);
        return 1;
      },
    } as Record<string, Query>,
  };
};

/** Short rounds, many of them, alternating sides: a burst of load falls on both sizes alike. */
const interleaved = (profile: Profile): Profile => ({
  ...profile,
  warmupMs: profile.quick ? 150 : 500,
  roundMs: profile.quick ? 100 : 200,
  rounds: profile.quick ? 8 : 24,
});

/** What each query touched at each size, from the plans of the statements it sent (once each). */
const plansOf = async (query: () => Promise<number>, seen: QueryPlan[]) => {
  seen.length = 0;
  await query();
  return {
    rows: seen.reduce((sum, plan) => sum + plan.rowsScanned, 0),
    buffers: seen.reduce((sum, plan) => sum + plan.buffers, 0),
    read: seen.reduce((sum, plan) => sum + plan.buffersRead, 0),
    statements: seen.length,
    scansTable: seen.some((plan) => plan.nodes.some((node) => /Seq Scan|Sort/.test(node))),
  };
};

const measureQueries = async (
  context: BenchContext,
  store: string,
  readModels: ReadModelStore,
  /** The same store with every SELECT explained into `seen`: PostgreSQL and PGlite only. */
  explained?: { readonly queries: Record<string, Query>; readonly seen: QueryPlan[] },
) => {
  const large = largeSize(context.profile);
  const q = queries(readModels, large);
  const began = performance.now();
  await seed(readModels, (p) => q.model(p, SMALL), SMALL);
  await seed(readModels, (p) => q.model(p, large), large);
  context.log(`queries: ${store} seeded in ${((performance.now() - began) / 1_000).toFixed(1)} s`);
  const sizes = `${large.toLocaleString("en-US")} orders vs ${SMALL.toLocaleString("en-US")}`;
  for (const [name, query] of Object.entries(q.indexed)) {
    const { value, baseline } = await paired(
      interleaved(context.profile),
      query(large),
      query(SMALL),
    );
    // The control: the same model of `large` orders, the picks among its first thousand. Equal to
    // the small side, the difference above is which pages are warm, not how many are read.
    const warm = await paired(interleaved(context.profile), query(large, SMALL), query(SMALL));
    // The old path once per size: seconds a run at 100,000, an order of magnitude to show, not a ratio.
    const scan = q.scanned[name];
    const scanned =
      scan === undefined
        ? undefined
        : { large: await timed(scan(large), 1), small: await timed(scan(SMALL), 1) };
    context.report({
      bench: "queries",
      name: `${name}, ${sizes}`,
      store,
      unit: "queries/s",
      value,
      baseline,
      baselineName: `same query, ${SMALL.toLocaleString("en-US")} orders`,
      // At most 1.5 times the cost at the small size: at least two thirds of its rate.
      target: { kind: "ratio", atLeast: 2 / 3 },
      extra: {
        msAtLarge: 1_000 / value,
        msAtSmall: 1_000 / baseline,
        msAtLargeWarmPicks: 1_000 / warm.value,
        warmPicksRatio: warm.value / warm.baseline,
        ...(scanned === undefined
          ? {}
          : { scanMsAtLarge: scanned.large, scanMsAtSmall: scanned.small }),
      },
    });
    if (explained === undefined) continue;
    const e = explained.queries[name];
    if (e === undefined) continue;
    const [atSmall, atLarge] = [
      await plansOf(e(SMALL), explained.seen),
      await plansOf(e(large), explained.seen),
    ];
    // The load-independent verdict: rows the plans touched, which no other process can move.
    context.report({
      bench: "queries",
      name: `${name}, rows scanned (EXPLAIN ANALYZE), ${sizes}`,
      store,
      unit: "rows at 1k",
      value: atSmall.rows,
      baseline: atLarge.rows,
      baselineName: "rows at the large size",
      target: { kind: "ratio", atLeast: 2 / 3 },
      extra: {
        buffersAtSmall: atSmall.buffers,
        buffersAtLarge: atLarge.buffers,
        buffersReadAtSmall: atSmall.read,
        buffersReadAtLarge: atLarge.read,
        statements: atLarge.statements,
        seqScanOrSort: atSmall.scansTable || atLarge.scansTable,
      },
    });
  }
};

/**
 * Each query a list route makes, with 1,000 orders in the read models and with 100,000 (10,000
 * with --quick), in many short alternating rounds of one run; on PostgreSQL and PGlite also the
 * rows and buffers its plans touched at each size; beside each, the scan the routes made before
 * the indexes.
 */
export const queriesBench: Bench = {
  name: "queries",
  run: async (context) => {
    context.log("queries: memory");
    await measureQueries(context, "memory", createMemoryReadModelStore());
    for (const kind of STORE_KINDS) {
      context.log(`queries: ${kind}`);
      const database = await context.databases.get(kind);
      const stores = await database.stores("queries");
      const seen: QueryPlan[] = [];
      const explained = await createPostgresStores({
        client: explaining(database.client, seen),
        schema: "queries",
        closeClient: false,
      });
      try {
        await measureQueries(context, kind, stores.readModels, {
          queries: queries(explained.readModels, largeSize(context.profile)).indexed,
          seen,
        });
      } finally {
        await explained.close();
      }
    }
  },
};
