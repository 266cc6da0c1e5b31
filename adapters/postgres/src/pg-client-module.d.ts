// pg's Client on its own: pg's index builds a Pool from pg-pool at load time, which breaks where
// Node runs with an "import" condition (as vitest does for this workspace).
declare module "pg/lib/client.js" {
  import type { Client } from "pg";

  const PgClient: typeof Client;
  export default PgClient;
}

// pg-pool on its own, for the same reason: the Pool that pg's index would build.
declare module "pg-pool" {
  import type { Pool } from "pg";

  const PgPool: typeof Pool;
  export default PgPool;
}
