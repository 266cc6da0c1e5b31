export { MIGRATIONS, migrate } from "./migrations.js";
export { connectPg, type PgOptions } from "./pg-client.js";
export { openPglite, pgliteClient } from "./pglite-client.js";
export { openPgliteThread } from "./pglite-thread.js";
export type { SqlClient, SqlQuery, SqlSession } from "./sql-client.js";
export {
  createPostgresStores,
  DEFAULT_SCHEMA,
  type PostgresStores,
  type PostgresStoresOptions,
} from "./stores.js";
export { createTestDatabase, TEST_SERVER_URL, type TestDatabase } from "./test-database.js";
