import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgliteClient } from "./pglite-client.js";
import type { SqlClient } from "./sql-client.js";

// Statements here read the engine's answers past PGlite's parser (pglite-response.ts): what they
// answer, throw and notify is held to what PGlite's own `query` gives on the same engine.
describe("pglite: answers read raw", () => {
  let db: PGlite;
  let client: SqlClient;
  beforeAll(async () => {
    db = await PGlite.create();
    client = pgliteClient(db);
    await client.query("CREATE TABLE raw_t (id integer PRIMARY KEY, note text)");
  });
  afterAll(async () => {
    await db.close();
  });

  const typed = `SELECT $1::integer AS n, $2::text AS s, $3::jsonb AS j, $4::bigint AS b,
    $5::timestamptz AS at, $6::boolean AS yes, $7::integer[] AS list, $8::numeric AS amount,
    NULL AS z, 'x' AS "__proto__", 1 AS dup, 2 AS dup`;
  const params = [
    7,
    "ünï \u{1F600}",
    { a: [1, null], b: "ü" },
    "9007199254740993",
    new Date("2026-12-08T01:02:03.004Z"),
    true,
    [1, 2, 3],
    "12.50",
  ];

  it("answers plain and prepared statements as PGlite's query does", async () => {
    const expected = (await db.query(typed, params)).rows;
    expect(await client.query(typed, params)).toEqual(expected);
    expect(await client.query(typed, params, { prepare: true })).toEqual(expected);
    const [row] = await client.query<Record<string, unknown>>(typed, params);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row ?? {})).toContain("__proto__");
  });

  it("answers many rows, and statements without parameters, in and out of a transaction", async () => {
    const many = "SELECT g AS id, repeat('é', g) AS note FROM generate_series(1, 3000) g";
    const expected = (await db.query(many)).rows;
    expect(await client.query(many)).toEqual(expected);
    expect(await client.query(many, [], { prepare: true })).toEqual(expected);
    expect(await client.transaction((tx) => tx.query(many))).toEqual(expected);
    expect(await client.query("INSERT INTO raw_t (id, note) VALUES (1, 'a')")).toEqual([]);
  });

  it("throws the engine's error with its code, whichever trip fails, and the next runs", async () => {
    await expect(client.query("SELEC $1::integer", [1])).rejects.toMatchObject({
      code: "42601",
      query: "SELEC $1::integer",
    });
    await expect(client.query("SELECT 1 / $1::integer", [0])).rejects.toMatchObject({
      code: "22012",
      message: "division by zero",
    });
    await expect(
      client.query("INSERT INTO raw_t (id, note) VALUES ($1, $2)", [1, "again"], {
        prepare: true,
      }),
    ).rejects.toMatchObject({ code: "23505" });
    await expect(
      client.transaction(async (tx) => {
        await tx.query("INSERT INTO raw_t (id, note) VALUES ($1, $2)", [2, "b"]);
        await tx.query("INSERT INTO raw_t (id, note) VALUES ($1, $2)", [2, "b"]);
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect(await client.query("SELECT id FROM raw_t ORDER BY id")).toEqual([{ id: 1 }]);
  });

  it("tells listeners of what plain, prepared and transaction statements notify", async () => {
    let heard = 0;
    const stop = await client.listen("raw_wake", () => {
      heard += 1;
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
    await client.query("NOTIFY raw_wake");
    await client.query("SELECT pg_notify($1, 'x')", ["raw_wake"]);
    await client.query("SELECT pg_notify($1, 'y')", ["raw_wake"], { prepare: true });
    await client.transaction((tx) => tx.query("SELECT pg_notify($1, 'z')", ["raw_wake"]));
    await settle();
    expect(heard).toBe(4);
    await stop();
    await client.query("NOTIFY raw_wake");
    await settle();
    expect(heard).toBe(4);
  });
});
