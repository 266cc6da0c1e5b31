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
    const stores = await createPostgresStores({ client: connectPg((await database).url) });
    return { stores, close: stores.close };
  },
  { idempotentAny: true },
);

describeServiceStoreContracts("postgres", async () => {
  database ??= createTestDatabase();
  const stores = await createPostgresStores({ client: connectPg((await database).url) });
  return { stores, close: stores.close };
});
