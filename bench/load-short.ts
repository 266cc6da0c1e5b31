import { loadAggregate, stockItemAggregate } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";
import type { Bench } from "./harness/bench.js";
import { STORE_KINDS } from "./harness/databases.js";
import { paired } from "./harness/measure.js";
import { rawSelect } from "./harness/raw-table.js";
import { seedStock } from "./harness/seed.js";
import { benchSkus, stockStream } from "./harness/stock-events.js";

/**
 * Loading a short StockItem stream with no cache at all (every event read, decoded with io-ts and
 * folded) against a raw ordered SELECT of the same rows from the same table. Loads go round the
 * seeded streams, so no one stream's rows are all that is ever touched.
 */
export const loadShort: Bench = {
  name: "load-short",
  run: async (context) => {
    const { profile } = context;
    for (const kind of STORE_KINDS) {
      context.log(`load-short: ${kind}`);
      const database = await context.databases.get(kind);
      const stores = await database.stores("load_short");
      const skus = benchSkus("SHORT", profile.seedStreams);
      await seedStock(stores.eventStore, skus, profile.seedRevisions);
      const streams = skus.map(stockStream);
      let turn = 0;
      const nextStream = () => streams[turn++ % streams.length] as string;
      const measured = await paired(
        profile,
        async () => {
          const loaded = await loadAggregate(stores.eventStore, stockItemAggregate, nextStream());
          if (E.isLeft(loaded)) throw new Error(loaded.left.message);
          return 1;
        },
        async () => {
          await rawSelect(database.client, `"load_short".events`, nextStream());
          return 1;
        },
      );
      context.report({
        bench: "load-short",
        name: `load a ${profile.seedRevisions}-event StockItem, no cache`,
        store: kind,
        unit: "loads/s",
        ...measured,
        baselineName: "ordered SELECT",
        target: { kind: "ratio", atLeast: 0.8 },
      });
    }
  },
};
