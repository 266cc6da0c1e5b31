export { MIGRATIONS, migrate } from "./migrations.js";
export { connectPg, PG_DEFAULTS, type PgOptions } from "./pg-client.js";
export { openPglite, pgliteClient } from "./pglite-client.js";
export { openPgliteThread } from "./pglite-thread.js";
export { explain, explaining, type QueryPlan } from "./query-plan.js";
export type { ConnectionBudget, SqlClient, SqlQuery, SqlSession } from "./sql-client.js";
export {
  createPostgresStores,
  DEFAULT_SCHEMA,
  type PostgresStores,
  type PostgresStoresOptions,
} from "./stores.js";
export { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";
export { createTestDatabase, TEST_SERVER_URL, type TestDatabase } from "./test-database.js";
export { isTransientPgError } from "./transient-errors.js";
