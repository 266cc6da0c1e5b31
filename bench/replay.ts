import { createMemoryReadModelStore, systemClock } from "@mebel/adapter-memory";
import type { SqlClient } from "@mebel/adapter-postgres";
import {
  availabilityProjection,
  type EventStore,
  type ReadModelStore,
  startProjection,
} from "@mebel/core";
import type { Bench, BenchContext } from "./harness/bench.js";
import { type Database, STORE_KINDS } from "./harness/databases.js";
import { median, timed } from "./harness/measure.js";
import { watchMemory } from "./harness/memory.js";
import { appendStock } from "./harness/seed.js";
import { benchSkus } from "./harness/stock-events.js";

const SCHEMA = "replay";
const SKUS = 200;
/** Appends of this many events, going round the SKUs, so every page of the log mixes streams. */
const BATCH = 250;
const PAGE = 1_000;

let replays = 0;

/**
 * The availability read model rebuilt from position 0, as a runner does it: into memory, or into
 * the database's read models (under a new name each time, so each starts from nothing).
 */
const startReplay = (store: EventStore, readModels?: ReadModelStore) => {
  replays += 1;
  return startProjection(
    availabilityProjection,
    { store, clock: systemClock, readModels: readModels ?? createMemoryReadModelStore() },
    { maxBatch: PAGE, modelName: `replay-${replays}` },
  );
};

const replayOnce = async (store: EventStore, until: bigint) => {
  const runner = startReplay(store);
  await runner.waitUntil(until);
  await runner.stop();
};

/** The physical floor: every row of the table through a cursor, a page at a time, same driver. */
const scanOnce = (client: SqlClient) =>
  client.transaction(async (tx) => {
    await tx.query(
      `DECLARE scan NO SCROLL CURSOR FOR
       SELECT position, stream_name, revision, event_id, type, data, metadata FROM "${SCHEMA}".events`,
    );
    while ((await tx.query(`FETCH ${PAGE} FROM scan`)).length === PAGE) {}
  });

const seedLog = async (context: BenchContext, database: Database) => {
  const stores = await database.stores(SCHEMA);
  const skus = benchSkus("REPLAY", SKUS);
  const perSku = Math.ceil(context.profile.replayEvents / SKUS);
  for (let at = 0; at < perSku; at += BATCH) {
    for (const sku of skus) {
      await appendStock(stores.eventStore, sku, at, Math.min(perSku, at + BATCH), BATCH);
    }
  }
  const head = await stores.eventStore.head();
  if (head === undefined) throw new Error("The replay log is empty.");
  return { store: stores.eventStore, head, readModels: stores.readModels };
};

/** Where a watched replay takes memory readings: at each quarter of the log. */
const QUARTERS = [1n, 2n, 3n, 4n];

/**
 * A replay timed, in events per second; `watch` also reads memory at each quarter of the log
 * (the readings take a collection each, so a watched replay is timed but slower).
 */
const timedReplay = async (
  store: EventStore,
  head: bigint,
  watch = false,
  readModels?: ReadModelStore,
) => {
  const memory = watch ? watchMemory() : undefined;
  const readings: Array<{ peakRssMiB: number; retainedHeapMiB: number }> = [];
  const began = performance.now();
  const runner = startReplay(store, readModels);
  for (const quarter of QUARTERS) {
    await runner.waitUntil((head * quarter) / 4n);
    if (memory !== undefined) {
      readings.push({ peakRssMiB: memory.peak(), retainedHeapMiB: memory.retained() });
    }
  }
  const perSecond = Number(head) / ((performance.now() - began) / 1_000);
  memory?.stop();
  await runner.stop();
  return { perSecond, readings };
};

/**
 * Replay speed against a raw sequential scan, each after one discarded run, alternating; then one
 * more replay, watched for memory at each quarter of the log.
 */
const measureReplay = async (context: BenchContext, database: Database) => {
  const { profile } = context;
  const { store, head, readModels } = await seedLog(context, database);
  await replayOnce(store, head);
  await scanOnce(database.client);
  const replays: number[] = [];
  const scans: number[] = [];
  for (let round = 0; round < profile.rounds; round += 1) {
    scans.push(Number(head) / ((await timed(() => scanOnce(database.client), 1)) / 1_000));
    replays.push((await timedReplay(store, head)).perSecond);
  }
  const { readings } = await timedReplay(store, head, true);
  // Into the database's own read models: each page's documents written in one statement.
  const intoDatabase: number[] = [];
  for (let round = 0; round < profile.rounds; round += 1) {
    intoDatabase.push((await timedReplay(store, head, false, readModels)).perSecond);
  }
  return {
    events: Number(head),
    value: median(replays),
    baseline: median(scans),
    readings,
    intoDatabase: median(intoDatabase),
    scan: median(scans),
  };
};

export const replay: Bench = {
  name: "replay",
  run: async (context) => {
    for (const kind of STORE_KINDS) {
      context.log(`replay: ${kind}`);
      const measured = await measureReplay(context, await context.databases.get(kind));
      context.report({
        bench: "replay",
        name: `availability replayed from 0 (${measured.events.toLocaleString("en-US")} events)`,
        store: kind,
        unit: "events/s",
        value: measured.value,
        baseline: measured.baseline,
        baselineName: "cursor scan",
        target: { kind: "above", value: 100_000 },
        extra: { memoryAtQuarters: measured.readings, page: PAGE },
      });
      context.report({
        bench: "replay",
        name: `availability replayed from 0 into ${kind}'s read models`,
        store: kind,
        unit: "events/s",
        value: measured.intoDatabase,
        baseline: measured.scan,
        baselineName: "cursor scan",
        target: { kind: "above", value: kind === "postgres" ? 300_000 : 100_000 },
      });
    }
  },
};
