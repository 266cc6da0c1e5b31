import { collect, newEvent, uniqueCategory, uniqueStream, waitUntil } from "@mebel/store-contract";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Driver, driverCases } from "./driver-cases.js";
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

const driver = (): Driver => ({
  connect: async () => connectPg((database as TestDatabase).url),
  disconnect: (client) => client.close(),
});

driverCases("postgres", driver);

describe("postgres: a writer that commits late", () => {
  let client: SqlClient;
  let stores: PostgresStores;
  beforeAll(async () => {
    client = connectPg((database as TestDatabase).url);
    stores = await createPostgresStores({ client, closeClient: false });
  });
  afterAll(async () => {
    await stores.close();
    await client.close();
  });

  it("holds back later appends, so no reader sees a position before an earlier one commits", async () => {
    const [slowStream, fastStream] = [uniqueStream(), uniqueStream()];
    const before = await stores.eventStore.head();
    let inserted = (): void => {};
    const insertedYet = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    let commit = (): void => {};
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const slowEvent = newEvent();
    // The same append the store makes, inside a transaction held open on purpose.
    const slow = client.transaction(async (tx) => {
      await tx.query(`SELECT * FROM "mebel".append_batches($1::text::jsonb)`, [
        JSON.stringify([{ stream: slowStream, kind: "any", revision: null, events: [slowEvent] }]),
      ]);
      inserted();
      await committing;
    });
    await insertedYet;

    let fastDone = false;
    const fast = stores.eventStore.append(fastStream, [newEvent()], "no_stream").then((r) => {
      fastDone = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fastDone).toBe(false);
    expect(await stores.eventStore.head()).toBe(before);
    const page = await stores.eventStore.readAll(before === undefined ? {} : { after: before });
    expect(page.events).toEqual([]);

    commit();
    await slow;
    const fastResult = await fast;
    if (E.isLeft(fastResult)) throw new Error(fastResult.left.message);
    const [slowStored] = await stores.eventStore.readStream(slowStream);
    expect(slowStored?.eventId).toBe(slowEvent.eventId);
    expect(fastResult.right.position).toBe((slowStored?.position ?? 0n) + 1n);
  });
});

describe("postgres: connections that drop", () => {
  /** Ends the server side of every connection of this database whose last query matches. */
  const terminate = async (client: SqlClient, queryLike: string): Promise<number> => {
    const rows = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE $1`,
      [queryLike],
    );
    await client.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [
      rows.map((row) => row.pid),
    ]);
    return rows.length;
  };

  it("listens again after the LISTEN connection is killed", async () => {
    const client = connectPg((database as TestDatabase).url, { reconnectMs: 50 });
    const stores = await createPostgresStores({ client, pollIntervalMs: 60_000 });
    try {
      const category = uniqueCategory();
      const seen = collect(stores.eventStore, { categories: [category] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await terminate(client, "LISTEN %")).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const result = await stores.eventStore.append(uniqueStream(category), [newEvent()], "any");
      expect(E.isRight(result)).toBe(true);
      // The poll is a minute away: only a renewed LISTEN can deliver this in time.
      await waitUntil("the event arrives", () => seen.events.length === 1, 5_000);
      await seen.subscription.stop();
    } finally {
      await stores.close();
    }
  });

  it("frees the locks of a killed lock connection and reconnects for the next attempt", async () => {
    const url = (database as TestDatabase).url;
    const [holder, other] = await Promise.all([
      createPostgresStores({ client: connectPg(url) }),
      createPostgresStores({ client: connectPg(url) }),
    ]);
    try {
      const name = `killed-${uniqueCategory()}`;
      expect(await holder.locks.tryAcquire(name)).toBeDefined();
      const admin = connectPg(url);
      expect(await terminate(admin, "%pg_try_advisory_lock%")).toBe(1);
      await admin.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const taken = await other.locks.tryAcquire(name);
      expect(taken).toBeDefined();
      const fresh = await holder.locks.tryAcquire(`${name}-next`);
      expect(fresh).toBeDefined();
      await taken?.();
      await fresh?.();
    } finally {
      await Promise.all([holder.close(), other.close()]);
    }
  });
});
