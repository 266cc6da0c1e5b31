import type { PostgresStores } from "@mebel/adapter-postgres";
import { loadAggregate, type StateCache, snapshottingCache, stockItemAggregate } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import type { Bench, BenchContext } from "./harness/bench.js";
import { type Database, STORE_KINDS } from "./harness/databases.js";
import { paired, timed } from "./harness/measure.js";
import { rawSelect } from "./harness/raw-table.js";
import { appendStock } from "./harness/seed.js";
import { stockStream } from "./harness/stock-events.js";

/** Events appended after the snapshot: a snapshot is written every 200, so up to 199 trail it. */
const TAIL = 100;
const SKU = "LONG-1";
const STREAM = stockStream(SKU);

const load = async (stores: PostgresStores, cache?: StateCache) => {
  const loaded = await loadAggregate(stores.eventStore, stockItemAggregate, STREAM, cache);
  if (E.isLeft(loaded)) throw new Error(loaded.left.message);
  return loaded.right;
};

/**
 * A StockItem that has collected `longStream` events. Without a cache a load reads them all; with
 * durable snapshots a fresh process (cold) reads the snapshot and the events after it, and a
 * running one (warm) only asks for events after what it holds. Both against a raw ordered SELECT
 * of the rows after the snapshot, the least any load of the current state must read.
 */
const measureLongStream = async (context: BenchContext, database: Database) => {
  const { profile } = context;
  const stores = await database.stores("load_long");
  const built = await timed(() => appendStock(stores.eventStore, SKU, 0, profile.longStream), 1);
  context.log(`  built ${profile.longStream} events in ${Math.round(built)} ms`);

  // Seconds each, so once: this figure shows a growth with length, not a fine ratio.
  const fullMs = await timed(() => load(stores), 1);
  const rawFullMs = await timed(() => rawSelect(database.client, `"load_long".events`, STREAM), 1);
  const full = await load(stores);
  await snapshottingCache(stores.snapshots, { events: stores.eventStore, every: 200 }).set(
    STREAM,
    full,
  );
  await appendStock(stores.eventStore, SKU, profile.longStream, profile.longStream + TAIL);

  const afterSnapshot = () =>
    rawSelect(database.client, `"load_long".events`, STREAM, full.revision).then(() => 1);
  const cold = await paired(
    profile,
    async () => {
      await load(
        stores,
        snapshottingCache(stores.snapshots, { events: stores.eventStore, every: 200 }),
      );
      return 1;
    },
    afterSnapshot,
  );
  const warmCache = snapshottingCache(stores.snapshots, { events: stores.eventStore, every: 200 });
  await warmCache.set(STREAM, await load(stores, warmCache));
  const warm = await paired(
    profile,
    async () => {
      await load(stores, warmCache);
      return 1;
    },
    afterSnapshot,
  );
  return { fullMs, rawFullMs, cold, warm };
};

export const loadLong: Bench = {
  name: "load-long",
  run: async (context) => {
    const events = context.profile.longStream.toLocaleString("en-US");
    for (const kind of STORE_KINDS) {
      context.log(`load-long: ${kind}`);
      const measured = await measureLongStream(context, await context.databases.get(kind));
      const common = {
        bench: "load-long",
        store: kind,
        baselineName: `SELECT ${TAIL} rows after snapshot`,
        unit: "loads/s",
        target: { kind: "ratio", atLeast: 0.8 },
      } as const;
      context.report({
        ...common,
        name: `load ${events}-event StockItem, cold (snapshot + ${TAIL})`,
        ...measured.cold,
        extra: { msPerLoad: 1_000 / measured.cold.value },
      });
      context.report({
        ...common,
        name: `load ${events}-event StockItem, warm (cache at head)`,
        ...measured.warm,
        extra: { msPerLoad: 1_000 / measured.warm.value },
      });
      context.report({
        bench: "load-long",
        name: `load ${events}-event StockItem, no cache (full read)`,
        store: kind,
        unit: "ms",
        value: measured.fullMs,
        extra: {
          rawFullSelectMs: measured.rawFullMs,
          eventsPerSecond: (context.profile.longStream * 1_000) / measured.fullMs,
        },
      });
    }
  },
};
