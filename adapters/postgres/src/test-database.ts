import { randomUUID } from "node:crypto";
import type pg from "pg";
import PgClient from "pg/lib/client.js";

/** The shared server tests run against; each run works in a database of its own. */
export const TEST_SERVER_URL =
  process.env.MEBEL_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  readonly url: string;
  readonly drop: () => Promise<void>;
}

const onServer = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new PgClient({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** A fresh, uniquely named database on the test server, dropped (connections and all) after. */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  const name = `mebel_test_${randomUUID().replaceAll("-", "")}`;
  await onServer((client) =>
    client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`),
  );
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await onServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
};
