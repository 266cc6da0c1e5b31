import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connectPg } from "./pg-client.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

// A file of its own: pg warns of a statement given to a busy connection once per process, so
// only a process where nothing has done it yet can tell whether this does.
let database: TestDatabase | undefined;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe("postgres: a session asked several statements at once", () => {
  it("runs them one after another, in the order asked, never two on its connection at once", async () => {
    const warnings = vi.spyOn(process, "emitWarning");
    const client = connectPg((database as TestDatabase).url);
    const session = await client.session(() => {});
    try {
      const answers = await Promise.all([
        session.query<{ n: number }>("SELECT 1 AS n, pg_sleep(0.05)"),
        session.query<{ n: number }>("SELECT 2 AS n"),
        session.query<{ n: number }>("SELECT 3 AS n"),
      ]);
      expect(answers.map(([row]) => row?.n)).toEqual([1, 2, 3]);
      const busy = warnings.mock.calls.filter(([warning]) =>
        String(warning).includes("already executing a query"),
      );
      expect(busy).toEqual([]);
    } finally {
      warnings.mockRestore();
      await session.end();
      await client.close();
    }
  });
});
