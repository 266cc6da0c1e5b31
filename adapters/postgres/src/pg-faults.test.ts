import { randomUUID } from "node:crypto";
import { isStoreUnavailable } from "@mebel/core";
import { newEvent, uniqueCategory, uniqueStream } from "@mebel/store-contract";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPg } from "./pg-client.js";
import { createPostgresStores } from "./stores.js";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";
import { isTransientPgError } from "./transient-errors.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks until `done` answers true, for at most `timeoutMs`. */
const eventually = async (what: string, done: () => Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.`);
    await sleep(20);
  }
};

const failure = (work: Promise<unknown>): Promise<unknown> =>
  work.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );

describe("pg: which faults are transient", () => {
  it.each([
    ["connection refused", { code: "ECONNREFUSED" }],
    ["connection reset", { code: "ECONNRESET" }],
    ["too many clients", { code: "53300" }],
    ["admin shutdown", { code: "57P01" }],
    ["crash shutdown", { code: "57P02" }],
    ["cannot connect now", { code: "57P03" }],
    ["serialization failure", { code: "40001" }],
    ["deadlock", { code: "40P01" }],
    ["statement timeout", { code: "57014" }],
    ["connection failure (class 08)", { code: "08006" }],
    ["pool wait", new Error("timeout exceeded when trying to connect")],
    ["connect timeout", new Error("Connection terminated due to connection timeout")],
    ["dropped under a query", new Error("Connection terminated unexpectedly")],
    ["client read timeout", new Error("Query read timeout")],
  ])("%s is", (_what, error) => {
    expect(isTransientPgError(error)).toBe(true);
  });

  it.each([
    ["unique violation", { code: "23505" }],
    ["syntax error", { code: "42601" }],
    ["undefined table", { code: "42P01" }],
    ["a bug of ours", new TypeError("x is undefined")],
  ])("%s is not", (_what, error) => {
    expect(isTransientPgError(error)).toBe(false);
  });
});

describe("pg: faults between the client and the server", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  beforeAll(async () => {
    database = await createTestDatabase();
    const url = new URL(database.url);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  });
  afterAll(async () => {
    await proxy?.close();
    await database?.drop();
  });
  const fast = {
    connectTimeoutMs: 500,
    statementTimeoutMs: 500,
    heartbeatMs: 200,
    reconnectMs: 20,
    reconnectMaxMs: 200,
  };

  it("answers a query on a cut connection as unavailable, and the next one on a new connection", async () => {
    const client = connectPg(proxy.through(database.url), { ...fast, max: 1 });
    try {
      expect(await client.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
      proxy.cut({ refuse: true });
      const error = await failure(client.query("SELECT 1 AS one"));
      expect(isStoreUnavailable(error)).toBe(true);
      expect((error as Error).cause).toBeDefined();
      proxy.heal();
      await eventually("a query succeeds again", async () => {
        await client.query("SELECT 1");
        return true;
      });
    } finally {
      await client.close();
    }
  });

  it("gives up on a black-holed server within its timeouts, as unavailable, and recovers", async () => {
    const client = connectPg(proxy.through(database.url), { ...fast, max: 2 });
    try {
      await client.query("SELECT 1");
      proxy.blackhole();
      // One on the idle connection (read timeout), one on a new one (connect timeout).
      const errors = await Promise.all([
        failure(client.query("SELECT 1")),
        failure(client.transaction((tx) => tx.query("SELECT 1"))),
      ]);
      expect(errors.map(isStoreUnavailable)).toEqual([true, true]);
      proxy.heal();
      await eventually("a query succeeds again", async () => {
        await client.query("SELECT 1");
        return true;
      });
    } finally {
      proxy.heal();
      await client.close();
    }
  }, 20_000);

  it("keeps the server's own errors as they are", async () => {
    const client = connectPg(database.url);
    try {
      const error = await failure(client.query("SELECT * FROM no_such_table"));
      expect(isStoreUnavailable(error)).toBe(false);
      expect((error as { code?: string }).code).toBe("42P01");
    } finally {
      await client.close();
    }
  });

  it("names each connection for pg_stat_activity", async () => {
    const applicationName = `named-${randomUUID().slice(0, 8)}`;
    const stores = await createPostgresStores({
      client: connectPg(database.url, { applicationName }),
    });
    const admin = connectPg(database.url);
    try {
      const release = await stores.locks.tryAcquire("named");
      await stores.eventStore.head();
      const names = await admin.query<{ application_name: string }>(
        `SELECT DISTINCT application_name FROM pg_stat_activity
          WHERE application_name LIKE $1 ORDER BY 1`,
        [`${applicationName}%`],
      );
      expect(names.map((row) => row.application_name)).toEqual([
        applicationName,
        `${applicationName}/listen`,
        `${applicationName}/session`,
      ]);
      await release?.();
    } finally {
      await stores.close();
      await admin.close();
    }
  });

  it("fences a black-holed lock session: the holder is told before the server lets another take the lock", async () => {
    const holder = await createPostgresStores({
      client: connectPg(proxy.through(database.url), fast),
    });
    const other = await createPostgresStores({ client: connectPg(database.url) });
    try {
      const name = `blackholed-${uniqueCategory()}`;
      let lostAt: number | undefined;
      let lostReason: unknown;
      const release = await holder.locks.tryAcquire(name, (reason) => {
        lostAt = Date.now();
        lostReason = reason;
      });
      expect(release).toBeDefined();
      proxy.blackhole();
      let takenAt = 0;
      let taken: (() => Promise<void>) | undefined;
      // The server ends the silent session by itself (idle_session_timeout), freeing the lock.
      await eventually("another instance takes the lock", async () => {
        taken = await other.locks.tryAcquire(name);
        takenAt = Date.now();
        return taken !== undefined;
      });
      expect(lostAt).toBeDefined();
      expect(lostAt as number).toBeLessThanOrEqual(takenAt);
      expect(isStoreUnavailable(lostReason)).toBe(true);
      proxy.heal();
      await release?.();
      await taken?.();
    } finally {
      proxy.heal();
      await Promise.all([holder.close(), other.close()]);
    }
  }, 20_000);

  it("keeps the lock session and the listener on their own route past a transaction pooler", async () => {
    // The proxy stands for the pooler: queries go through it, session connections do not.
    const client = connectPg(proxy.through(database.url), { ...fast, sessionUrl: database.url });
    const stores = await createPostgresStores({ client });
    try {
      let lost = false;
      const release = await stores.locks.tryAcquire(`direct-${uniqueCategory()}`, () => {
        lost = true;
      });
      expect(release).toBeDefined();
      proxy.blackhole();
      expect(isStoreUnavailable(await failure(client.query("SELECT 1")))).toBe(true);
      // Several heartbeats later the lock is still held: its session never went through the proxy.
      await sleep(1_000);
      expect(lost).toBe(false);
      proxy.heal();
      await release?.();
    } finally {
      proxy.heal();
      await stores.close();
    }
  }, 20_000);

  it("listens again, with backoff, after every connection was cut", async () => {
    const client = connectPg(proxy.through(database.url), fast);
    const stores = await createPostgresStores({ client, pollIntervalMs: 60_000 });
    const writer = await createPostgresStores({ client: connectPg(database.url) });
    try {
      const category = uniqueCategory();
      const seen: string[] = [];
      const subscription = stores.eventStore.subscribe(
        { categories: [category] },
        async (batch) => {
          for (const event of batch.events) seen.push(event.eventId);
        },
      );
      await sleep(100);
      proxy.cut({ refuse: true });
      await sleep(300);
      proxy.heal();
      await eventually("the listener is back", async () => proxy.connections() >= 2);
      await sleep(200);
      const result = await writer.eventStore.append(uniqueStream(category), [newEvent()], "any");
      expect(E.isRight(result)).toBe(true);
      // The poll is a minute away: only a renewed LISTEN delivers this in time.
      await eventually("the event arrives", async () => seen.length === 1, 10_000);
      await subscription.stop();
    } finally {
      await Promise.all([stores.close(), writer.close()]);
    }
  }, 20_000);
});
