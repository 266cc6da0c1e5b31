import { randomUUID } from "node:crypto";
import type { IndexEntry, ReadModelStore } from "@mebel/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPg } from "./pg-client.js";
import { openPglite } from "./pglite-client.js";
import { explaining, type QueryPlan } from "./query-plan.js";
import type { SqlClient } from "./sql-client.js";
import { createPostgresStores } from "./stores.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

const CUSTOMERS_ORDERS = 5;
const OPEN = 60;
const PAGE = 20;
const MODEL = "orders.v1";

const orderKey = (i: number) => `o-${String(i).padStart(6, "0")}`;

/** Orders `from`..`to`: each in its customer's group, the first OPEN also in the open work. */
const orders = async (readModels: ReadModelStore, from: number, to: number) => {
  const docs = new Map<string, unknown>();
  const index = new Map<string, ReadonlyArray<IndexEntry>>();
  for (let i = from; i < to; i += 1) {
    const customer = `c-${Math.floor(i / CUSTOMERS_ORDERS)}`;
    docs.set(orderKey(i), { orderId: orderKey(i), customer, note: "x".repeat(200) });
    index.set(orderKey(i), [
      { index: "byCustomer", group: customer, sort: String(i).padStart(6, "0") },
      ...(i < OPEN ? [{ index: "open", group: "open", sort: String(i).padStart(6, "0") }] : []),
    ]);
  }
  await readModels.commit(MODEL, docs, BigInt(to), undefined, index);
};

/** Every read a list or a by-key route makes, each explained as the store sends it. */
const plansOfReads = async (readModels: ReadModelStore, seen: QueryPlan[]) => {
  seen.length = 0;
  const first = await readModels.page(MODEL, {
    index: "open",
    group: "open",
    order: "asc",
    limit: PAGE,
  });
  const last = first[first.length - 1];
  if (last === undefined) throw new Error("The open work is empty.");
  await readModels.page(MODEL, {
    index: "open",
    group: "open",
    order: "asc",
    limit: PAGE,
    after: { sort: last.sort, key: last.key },
  });
  await readModels.page(MODEL, { index: "byCustomer", group: "c-3", order: "desc", limit: PAGE });
  await readModels.getMany(MODEL, [orderKey(1), orderKey(7), orderKey(42)]);
  return seen.map(({ nodes, rowsScanned }) => ({ nodes, rowsScanned }));
};

const planCases = (name: string, connect: () => Promise<SqlClient>) =>
  describe(`${name}: read model queries touch a page, not the projection`, () => {
    let client: SqlClient;
    beforeAll(async () => {
      client = await connect();
    });
    afterAll(async () => {
      await client.close();
    });

    it("walk an index whatever the projection holds: no sequential scan, no sort, the same rows touched", async () => {
      const schema = `plans_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
      const seen: QueryPlan[] = [];
      const stores = await createPostgresStores({
        client: explaining(client, seen),
        schema,
        closeClient: false,
      });
      try {
        // Given a shop of 500 orders, and another projection as large beside it
        await orders(stores.readModels, 0, 500);
        await stores.readModels.commit(
          "noise.v1",
          new Map(Array.from({ length: 500 }, (_, i) => [`n-${i}`, { i }])),
          1n,
        );
        const small = await plansOfReads(stores.readModels, seen);
        // When it has taken 4,000 orders more (the open work and the customer's group unchanged)
        for (let from = 500; from < 4_500; from += 1_000)
          await orders(stores.readModels, from, from + 1_000);
        await client.query(`ANALYZE "${schema}".read_model_docs, "${schema}".read_model_index`);
        const large = await plansOfReads(stores.readModels, seen);
        // Then every read walks an index, sorts nothing, and touches as many rows as before
        expect(large).toHaveLength(4);
        for (const plan of [...small, ...large]) {
          expect(plan.nodes.join(" > ")).not.toMatch(/Seq Scan|Sort/);
          expect(plan.nodes.join(" > ")).toMatch(/Index/);
        }
        expect(large.map((p) => p.rowsScanned)).toEqual(small.map((p) => p.rowsScanned));
        // (a page of 20: its index entries and their documents)
        expect(large.map((p) => p.rowsScanned)).toEqual([40, 40, 10, 3]);
      } finally {
        await stores.close();
        await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      }
    });
  });

let database: TestDatabase;
planCases("pglite", () => openPglite());
planCases("postgres", async () => {
  database = await createTestDatabase();
  return connectPg(database.url);
});
afterAll(async () => {
  await database?.drop();
});
