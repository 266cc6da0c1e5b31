import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeServiceStoreContracts, describeStoreContracts } from "@mebel/store-contract";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Driver, driverCases } from "./driver-cases.js";
import { openPgliteThread } from "./pglite-thread.js";
import type { SqlClient, SqlQuery } from "./sql-client.js";
import { createPostgresStores, type PostgresStores } from "./stores.js";

// PGlite on a worker thread, as the embedded runtime runs it: the same suites as in-process.
// Starting it takes seconds, so one instance on a data folder serves every suite in this file.
let dataDir: string;
let shared: Promise<SqlClient> | undefined;
let stores: Promise<PostgresStores> | undefined;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "mebel-pglite-thread-"));
});
afterAll(async () => {
  await (await stores)?.close();
  await (await shared)?.close();
  await rm(dataDir, { recursive: true, force: true });
});
const open = (): Promise<SqlClient> => {
  shared ??= openPgliteThread(dataDir);
  return shared;
};
const openStores = async () => {
  stores ??= open().then((client) => createPostgresStores({ client, closeClient: false }));
  return { stores: await stores, close: async () => {} };
};

describeStoreContracts("pglite on a thread", openStores, { idempotentAny: true });
describeServiceStoreContracts("pglite on a thread", openStores);

const driver = (): Driver => ({ connect: open, disconnect: async () => {} });
driverCases("pglite on a thread", driver);

describe("pglite on a thread: what crosses threads", () => {
  it("answers rows with their types, as in-process", async () => {
    const client = await open();
    expect(
      await client.query("SELECT $1::integer AS n, $2::text AS s, $3::jsonb AS j, NULL AS z", [
        7,
        "ünï",
        '{"a":[1,null]}',
      ]),
    ).toEqual([{ n: 7, s: "ünï", j: { a: [1, null] }, z: null }]);
  });

  it("reports a database error with its code and message", async () => {
    const client = await open();
    await expect(client.query("SELECT 1 / $1::integer", [0])).rejects.toMatchObject({
      code: "22012",
      message: "division by zero",
    });
  });

  it("rolls a transaction back when its work throws, and commits it when it returns", async () => {
    const client = await open();
    await client.query("CREATE TABLE IF NOT EXISTS public.thread_tx (id integer PRIMARY KEY)");
    await expect(
      client.transaction(async (tx) => {
        await tx.query("INSERT INTO public.thread_tx (id) VALUES (1)");
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    const kept = await client.transaction(async (tx) => {
      await tx.query("INSERT INTO public.thread_tx (id) VALUES (2)");
      return (await tx.query<{ id: number }>("SELECT id FROM public.thread_tx")).map((r) => r.id);
    });
    expect(kept).toEqual([2]);
    expect(await client.query("SELECT id FROM public.thread_tx")).toEqual([{ id: 2 }]);
  });

  it("refuses a query on a transaction that has ended, instead of leaving it waiting", async () => {
    const client = await open();
    let ended: SqlQuery | undefined;
    await client.transaction(async (tx) => {
      ended = tx;
    });
    await expect(ended?.query("SELECT 1")).rejects.toThrow("Transaction is closed.");
  });

  it("refuses a parameter that cannot cross threads, and goes on", async () => {
    const client = await open();
    await expect(client.query("SELECT $1::text AS t", [() => "a function"])).rejects.toThrow();
    expect(await client.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
  });

  it("answers statements sent together each on its own, refusing only one that cannot cross", async () => {
    const client = await open();
    const settled = await Promise.allSettled([
      client.query<{ n: number }>("SELECT $1::integer AS n", [1]),
      client.query("SELECT $1::text AS t", [() => "a function"]),
      client.query<{ n: number }>("SELECT $1::integer AS n", [2], { prepare: true }),
      client.query("SELECT 1 / $1::integer", [0]),
      client.query<{ n: number }>("SELECT $1::integer AS n", [3]),
    ]);
    expect(settled.map((s) => s.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect(settled[3]).toMatchObject({ reason: { code: "22012" } });
    expect(settled.flatMap((s) => (s.status === "fulfilled" ? s.value : []))).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
    ]);
  });

  it("fails to open when PGlite cannot start, instead of waiting for ever", async () => {
    const notAFolder = join(dataDir, "file");
    await writeFile(notAFolder, "not a data folder");
    await expect(openPgliteThread(join(notAFolder, "pglite"))).rejects.toThrow();
  });

  it("fails every call once the thread is gone, instead of waiting for ever", async () => {
    const client = await openPgliteThread();
    await client.close();
    await expect(client.query("SELECT 1")).rejects.toThrow(/PGlite thread/);
  });
});
