import { randomUUID } from "node:crypto";
import { newEvent, newEvents, uniqueCategory, uniqueStream } from "@mebel/store-contract";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPg } from "./pg-client.js";
import type { SqlClient } from "./sql-client.js";
import { createPostgresStores, type PostgresStores } from "./stores.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

let database: TestDatabase | undefined;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const freshSchema = (): string => `p_${randomUUID().replaceAll("-", "").slice(0, 20)}`;

/** The statements prepared on the connection: with `max: 1`, the one every query goes through. */
const prepared = async (client: SqlClient): Promise<string[]> =>
  (
    await client.query<{ statement: string }>(
      "SELECT statement FROM pg_prepared_statements ORDER BY prepare_time",
    )
  ).map((row) => row.statement);

const mustAppend = async (stores: PostgresStores, stream: string, count = 1): Promise<void> => {
  const appended = await stores.eventStore.append(stream, newEvents(count), "any");
  if (E.isLeft(appended)) throw new Error(appended.left.message);
};

describe("postgres: prepared statements", () => {
  const schema = freshSchema();
  let client: SqlClient;
  let stores: PostgresStores;
  beforeAll(async () => {
    client = connectPg((database as TestDatabase).url, { max: 1 });
    stores = await createPostgresStores({ client, schema, closeClient: false });
  });
  afterAll(async () => {
    await stores.close();
    await client.close();
  });

  it("prepares a hot statement once per connection, after the migrations", async () => {
    const stream = uniqueStream();
    await mustAppend(stores, stream, 3);
    for (let i = 0; i < 8; i += 1) {
      expect(await stores.eventStore.readStream(stream)).toHaveLength(3);
    }
    const statements = await prepared(client);
    expect(statements.filter((text) => text.includes("append_batches"))).toHaveLength(1);
    expect(statements.filter((text) => text.includes("ORDER BY e.revision ASC"))).toHaveLength(1);
    // Migrations ran before anything was prepared, and nothing of theirs is kept.
    expect(statements.some((text) => /CREATE|schema_migrations/.test(text))).toBe(false);
  });

  it("never prepares a page filtered by category, whose plan depends on the category", async () => {
    // Once prepared, a statement may get one generic plan for every category after five runs,
    // one that walks the primary key: a rare category would then cost a walk of the whole log.
    const rare = uniqueCategory("Rare");
    const dense = uniqueCategory("Dense");
    await mustAppend(stores, uniqueStream(rare));
    for (let i = 0; i < 5; i += 1) await mustAppend(stores, uniqueStream(dense), 100);
    for (let i = 0; i < 8; i += 1) {
      await stores.eventStore.readAll({ categories: [dense], maxCount: 50 });
      await stores.eventStore.readAll({ categories: [dense, rare], maxCount: 50 });
    }
    const page = await stores.eventStore.readAll({ categories: [rare] });
    expect(page.events).toHaveLength(1);
    const statements = await prepared(client);
    expect(statements.some((text) => text.includes("e.category ="))).toBe(false);
  });

  it("keeps working when the table changes under a prepared statement", async () => {
    const stream = uniqueStream();
    await mustAppend(stores, stream, 2);
    expect(await stores.eventStore.readStream(stream)).toHaveLength(2);
    await client.query(`ALTER TABLE "${schema}".events ADD COLUMN note text`);
    await mustAppend(stores, stream, 1);
    expect(await stores.eventStore.readStream(stream)).toHaveLength(3);
  });

  it("gives each text a name of its own, across schemas on one client", async () => {
    const other = await createPostgresStores({ client, schema: freshSchema(), closeClient: false });
    try {
      const stream = uniqueStream();
      await mustAppend(stores, stream, 1);
      await mustAppend(other, stream, 2);
      expect(await stores.eventStore.readStream(stream)).toHaveLength(1);
      expect(await other.eventStore.readStream(stream)).toHaveLength(2);
    } finally {
      await other.close();
    }
  });
});

describe("postgres: the snapshot and the events after it", () => {
  it("walks the stream's index on a long stream, not the table", async () => {
    const url = (database as TestDatabase).url;
    const schema = freshSchema();
    const connected = connectPg(url);
    let statement: string | undefined;
    const client: SqlClient = {
      ...connected,
      query: (text, params, options) => {
        if (text.includes("WITH snap")) statement = text;
        return connected.query(text, params, options);
      },
    };
    const stores = await createPostgresStores({ client, schema });
    try {
      const stream = uniqueStream();
      for (let i = 0; i < 20; i += 1) await mustAppend(stores, stream, 1_000);
      await stores.snapshots.save(stream, { revision: 19_900n, schema: 1, state: {} });
      await client.query(`ANALYZE "${schema}".events`);
      const read = await stores.snapshots.withEvents?.load(stream, 1);
      expect(read?.snapshot?.revision).toBe(19_900n);
      expect(read?.events).toHaveLength(99);
      // Unable to know the snapshot's revision, the planner once guessed a third of the stream
      // came after it, and scanned the whole table for the 99 events.
      const [plan] = await client.query<{ "QUERY PLAN": unknown }>(
        `EXPLAIN (FORMAT JSON) ${statement}`,
        [stream, 1],
      );
      const text = JSON.stringify(plan?.["QUERY PLAN"]);
      expect(text).toContain("events_stream_name_revision_key");
      expect(text).not.toContain("Seq Scan");
    } finally {
      await stores.close();
    }
  });
});

describe("postgres: prepared statements on a lost connection", () => {
  it("prepares them again on the connection that replaces it", async () => {
    const url = (database as TestDatabase).url;
    const client = connectPg(url, { max: 1 });
    const stores = await createPostgresStores({ client, schema: freshSchema() });
    const admin = connectPg(url, { max: 1 });
    try {
      const stream = uniqueStream();
      await mustAppend(stores, stream, 2);
      expect(await stores.eventStore.readStream(stream)).toHaveLength(2);
      const [backend] = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      await admin.query("SELECT pg_terminate_backend($1)", [backend?.pid]);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const result = await stores.eventStore.append(stream, [newEvent()], 1n);
      expect(E.isRight(result)).toBe(true);
      expect(await stores.eventStore.readStream(stream)).toHaveLength(3);
      const [replaced] = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      expect(replaced?.pid).not.toBe(backend?.pid);
      expect((await prepared(client)).some((text) => text.includes("append_batches"))).toBe(true);
    } finally {
      await stores.close();
      await admin.close();
    }
  });
});
