import { PGlite } from "@electric-sql/pglite";
import { newEvents, uniqueStream } from "@mebel/store-contract";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteClient } from "./pglite-client.js";
import type { SqlClient } from "./sql-client.js";
import { createPostgresStores, type PostgresStores } from "./stores.js";

describe("pglite: prepared statements", () => {
  let db: PGlite;
  let client: SqlClient;
  let stores: PostgresStores;
  beforeAll(async () => {
    db = await PGlite.create();
    client = pgliteClient(db);
    stores = await createPostgresStores({ client, schema: "prepared", closeClient: false });
    await client.query("CREATE TABLE prepared.t (id integer PRIMARY KEY, note text)");
  });
  afterAll(async () => {
    await stores.close();
    await db.close();
  });

  const statements = async (): Promise<string[]> =>
    (
      await client.query<{ statement: string }>(
        "SELECT statement FROM pg_prepared_statements WHERE NOT from_sql",
      )
    ).map((row) => row.statement);

  it("prepares the store's hot statements once and answers as a plain query does", async () => {
    const stream = uniqueStream();
    const appended = await stores.eventStore.append(stream, newEvents(3), "no_stream");
    expect(E.isRight(appended)).toBe(true);
    for (let i = 0; i < 5; i += 1) {
      expect(await stores.eventStore.readStream(stream)).toHaveLength(3);
    }
    const kept = await statements();
    expect(kept.filter((text) => text.includes("append_batches"))).toHaveLength(1);
    expect(kept.filter((text) => text.includes("ORDER BY e.revision ASC"))).toHaveLength(1);

    const text = "SELECT $1::integer AS n, $2::text AS s, $3::jsonb AS j, $4::bigint AS b";
    const params = [7, "ünï", '{"a":[1,null]}', null];
    expect(await client.query(text, params, { prepare: true })).toEqual(
      await client.query(text, params),
    );
  });

  it("reports an error as a plain query does, and the next statement runs", async () => {
    const insert = "INSERT INTO prepared.t (id, note) VALUES ($1, $2)";
    await client.query(insert, [1, "first"], { prepare: true });
    await expect(client.query(insert, [1, "again"], { prepare: true })).rejects.toMatchObject({
      code: "23505",
    });
    await client.query(insert, [2, null], { prepare: true });
    expect(await client.query("SELECT id, note FROM prepared.t ORDER BY id")).toEqual([
      { id: 1, note: "first" },
      { id: 2, note: null },
    ]);
  });

  it("never runs inside another caller's open transaction", async () => {
    // PGlite is one connection: a prepared statement slipped in mid-transaction would see the
    // transaction's uncommitted rows, and be rolled back with them.
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const rolledBack = client
      .transaction(async (tx) => {
        await tx.query("INSERT INTO prepared.t (id, note) VALUES (100, 'uncommitted')");
        inserted();
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await insertedYet;
    const seen = await client.query<{ n: number }>(
      "SELECT count(*)::integer AS n FROM prepared.t WHERE id = $1",
      [100],
      { prepare: true },
    );
    await rolledBack;
    expect(seen).toEqual([{ n: 0 }]);
  });
});
