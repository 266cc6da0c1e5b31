import { describeServiceStoreContracts, describeStoreContracts } from "@mebel/store-contract";
import { afterAll } from "vitest";
import { openPglite } from "./pglite-client.js";
import { createPostgresStores, type PostgresStores } from "./stores.js";

// Starting PGlite takes seconds: every suite shares one in-memory instance and one set of stores.
let shared: Promise<PostgresStores> | undefined;
afterAll(async () => {
  await (await shared)?.close();
});

describeStoreContracts(
  "pglite",
  async () => {
    shared ??= openPglite().then((client) => createPostgresStores({ client }));
    return { stores: await shared, close: async () => {} };
  },
  { idempotentAny: true },
);

describeServiceStoreContracts("pglite", async () => {
  shared ??= openPglite().then((client) => createPostgresStores({ client }));
  return { stores: await shared, close: async () => {} };
});
