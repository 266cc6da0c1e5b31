import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  connectPg,
  createPostgresStores,
  openPglite,
  type PostgresStores,
  type SqlClient,
} from "@mebel/adapter-postgres";

/** The shared server; the bench works in a database of its own on it, dropped at the end. */
const SERVER_URL =
  process.env.MEBEL_BENCH_DATABASE_URL ??
  process.env.MEBEL_TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres";

export type StoreKind = "postgres" | "pglite";
export const STORE_KINDS: ReadonlyArray<StoreKind> = ["postgres", "pglite"];

/** How a server in another process opens stores of the same kind (PGlite: a folder of its own). */
export type ServerStore =
  | { readonly kind: "postgres"; readonly url: string; readonly schema: string }
  | { readonly kind: "pglite"; readonly dataDir: string; readonly schema: string };

export interface Database {
  readonly kind: StoreKind;
  /** The same driver the stores use: baselines go through it too. */
  readonly client: SqlClient;
  /** Stores migrated into a schema of their own, so each bench sees only its own events. */
  readonly stores: (schema: string) => Promise<PostgresStores>;
  readonly serverStore: (name: string) => ServerStore;
  readonly close: () => Promise<void>;
}

const onServer = async (sql: string): Promise<void> => {
  const admin = connectPg(SERVER_URL, { max: 1 });
  try {
    await admin.query(sql);
  } finally {
    await admin.close();
  }
};

/** Stores on `client`, remembered so that closing the database stops them first. */
const storesOn = (client: SqlClient) => {
  const opened: PostgresStores[] = [];
  return {
    open: async (schema: string) => {
      const stores = await createPostgresStores({ client, schema, closeClient: false });
      opened.push(stores);
      return stores;
    },
    closeAll: async () => {
      await Promise.allSettled(opened.splice(0).map((stores) => stores.close()));
    },
  };
};

const openPostgres = async (): Promise<Database> => {
  const name = `mebel_bench_${randomUUID().replaceAll("-", "")}`;
  await onServer(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const client = connectPg(url.toString());
  const stores = storesOn(client);
  return {
    kind: "postgres",
    client,
    stores: stores.open,
    serverStore: (schema) => ({ kind: "postgres", url: url.toString(), schema }),
    close: async () => {
      await stores.closeAll();
      await client.close().catch(() => {});
      // FORCE: a server process that died mid-run may still hold connections.
      await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
};

const openEmbedded = async (): Promise<Database> => {
  const folder = await mkdtemp(join(tmpdir(), "mebel-bench-"));
  try {
    const client = await openPglite(join(folder, "pglite"));
    const stores = storesOn(client);
    return {
      kind: "pglite",
      client,
      stores: stores.open,
      serverStore: (schema) => ({ kind: "pglite", dataDir: join(folder, schema), schema }),
      close: async () => {
        await stores.closeAll();
        await client.close().catch(() => {});
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
};

/**
 * Databases opened on first use and all closed (dropped, deleted) by `closeAll`, which the entry
 * calls however the run ends.
 */
export const databases = () => {
  const opened = new Map<StoreKind, Promise<Database>>();
  return {
    get: (kind: StoreKind): Promise<Database> => {
      let database = opened.get(kind);
      if (database === undefined) {
        database = kind === "postgres" ? openPostgres() : openEmbedded();
        opened.set(kind, database);
      }
      return database;
    },
    closeAll: async () => {
      const all = [...opened.values()];
      opened.clear();
      await Promise.allSettled(all.map(async (database) => (await database).close()));
    },
  };
};
export type Databases = ReturnType<typeof databases>;
