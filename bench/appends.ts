import type { SqlClient } from "@mebel/adapter-postgres";
import type { EventStore } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import type { Bench, BenchContext } from "./harness/bench.js";
import { type Database, STORE_KINDS } from "./harness/databases.js";
import { type Operation, paired } from "./harness/measure.js";
import { copyEvents, createRawTable, rawInsert } from "./harness/raw-table.js";
import { expectedBefore, seedStock } from "./harness/seed.js";
import { benchSkus, stockEvents, stockStream } from "./harness/stock-events.js";

/**
 * Where each writer appends next: writers own disjoint SKUs (as the per-stream queue and separate
 * processes would arrange) and take them in turn, so every append names the stream's true revision.
 */
const writers = (skus: ReadonlyArray<string>, concurrency: number, seeded: number) => {
  const owned = Array.from({ length: concurrency }, (_, worker) =>
    skus.filter((_, i) => i % concurrency === worker),
  );
  const next = new Map(skus.map((sku) => [sku, seeded]));
  const turns = new Array<number>(concurrency).fill(0);
  return (worker: number, count: number): { sku: string; revision: number } => {
    const mine = owned[worker] as string[];
    const sku = mine[(turns[worker] as number) % mine.length] as string;
    turns[worker] = (turns[worker] as number) + 1;
    const revision = next.get(sku) as number;
    next.set(sku, revision + count);
    return { sku, revision };
  };
};

const appendWith =
  (store: EventStore, at: ReturnType<typeof writers>, size: number): Operation =>
  async (worker) => {
    const { sku, revision } = at(worker, size);
    const events = stockEvents(sku, revision, revision + size);
    const appended = await store.append(stockStream(sku), events, expectedBefore(revision));
    if (E.isLeft(appended)) throw new Error(appended.left.message);
    return size;
  };

const insertWith =
  (client: SqlClient, table: string, at: ReturnType<typeof writers>, size: number): Operation =>
  async (worker) => {
    const { sku, revision } = at(worker, size);
    await rawInsert(
      client,
      table,
      stockStream(sku),
      revision,
      stockEvents(sku, revision, revision + size),
    );
    return size;
  };

/**
 * Appends of `size` events through the EventStore port (revision check, idempotency by id, the
 * global position under the log-head lock) against the same rows INSERTed raw into a table of the
 * same shape, both on the same database, driver and pool, both after the same seed.
 */
const measureAppends = async (
  context: BenchContext,
  database: Database,
  options: { readonly schema: string; readonly size: number; readonly concurrency: number },
) => {
  const { profile } = context;
  const stores = await database.stores(options.schema);
  const skus = benchSkus("APPEND", profile.seedStreams);
  await seedStock(stores.eventStore, skus, profile.seedRevisions);
  const table = await createRawTable(database.client, options.schema);
  await copyEvents(database.client, options.schema, table);
  return paired(
    profile,
    appendWith(
      stores.eventStore,
      writers(skus, options.concurrency, profile.seedRevisions),
      options.size,
    ),
    insertWith(
      database.client,
      table,
      writers(skus, options.concurrency, profile.seedRevisions),
      options.size,
    ),
    options.concurrency,
  );
};

export const appendOne: Bench = {
  name: "append-one",
  run: async (context) => {
    for (const kind of STORE_KINDS) {
      const database = await context.databases.get(kind);
      // PGlite is one connection: more writers only queue, so one is the whole story there.
      for (const concurrency of kind === "postgres" ? [1, 8] : [1]) {
        context.log(`append-one: ${kind}, ${concurrency} writer(s)`);
        const measured = await measureAppends(context, database, {
          schema: `append_one_${concurrency}`,
          size: 1,
          concurrency,
        });
        context.report({
          bench: "append-one",
          name: `1-event append, expected revision, ${concurrency} writer${concurrency === 1 ? "" : "s"}`,
          store: kind,
          unit: "appends/s",
          ...measured,
          baselineName: "1-row INSERT",
          target: { kind: "ratio", atLeast: 0.6 },
        });
      }
    }
  },
};

export const appendBatch: Bench = {
  name: "append-batch",
  run: async (context) => {
    for (const kind of STORE_KINDS) {
      context.log(`append-batch: ${kind}`);
      const measured = await measureAppends(context, await context.databases.get(kind), {
        schema: "append_batch",
        size: 100,
        concurrency: 1,
      });
      context.report({
        bench: "append-batch",
        name: "100-event append, expected revision",
        store: kind,
        unit: "events/s",
        ...measured,
        baselineName: "100-row INSERT",
        target: { kind: "ratio", atLeast: 0.8 },
      });
    }
  },
};
