import { randomUUID } from "node:crypto";
import { describeServiceStoreContracts, describeStoreContracts } from "@mebel/store-contract";
import { afterAll } from "vitest";
import { connectPg } from "./pg-client.js";
import { createPostgresStores } from "./stores.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

let database: Promise<TestDatabase> | undefined;
afterAll(async () => {
  await (await database)?.drop();
});

// Each suite gets stores of its own (its own connections) on the run's database.
describeStoreContracts(
  "postgres",
  async () => {
    database ??= createTestDatabase();
    const { url } = await database;
    // Named apart, so dropping this suite's lock session touches no other connection.
    const applicationName = `contract-${randomUUID().slice(0, 8)}`;
    const stores = await createPostgresStores({ client: connectPg(url, { applicationName }) });
    const other = await createPostgresStores({ client: connectPg(url) });
    const admin = connectPg(url);
    return {
      stores,
      lockFaults: {
        other: other.locks,
        dropSession: async () => {
          await admin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = current_database() AND application_name = $1`,
            [`${applicationName}/session`],
          );
        },
      },
      close: async () => {
        await Promise.all([stores.close(), other.close(), admin.close()]);
      },
    };
  },
  { idempotentAny: true },
);

describeServiceStoreContracts("postgres", async () => {
  database ??= createTestDatabase();
  const stores = await createPostgresStores({ client: connectPg((await database).url) });
  return { stores, close: stores.close };
});
