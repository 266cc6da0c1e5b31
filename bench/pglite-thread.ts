import { openPglite, openPgliteThread, type SqlClient } from "@mebel/adapter-postgres";
import type { Bench } from "./harness/bench.js";

/** This process's CPU (every thread: the PGlite worker's too) in µs. */
const cpuUs = (): number => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

const setup = async (client: SqlClient): Promise<void> => {
  await client.query("CREATE TABLE p (sku text PRIMARY KEY, price integer NOT NULL, note text)");
  await client.query(
    "INSERT INTO p SELECT 'S' || g, g, repeat('x', 40) FROM generate_series(0, 99) g",
  );
};

interface Case {
  readonly name: string;
  readonly inFlight: number;
  readonly statements: number;
  readonly run: (client: SqlClient, i: number) => Promise<unknown>;
}

const CASES: ReadonlyArray<Case> = [
  {
    name: "prepared 1-row SELECT, 1 in flight",
    inFlight: 1,
    statements: 8_000,
    run: (client, i) =>
      client.query("SELECT price, note FROM p WHERE sku = $1", [`S${i % 100}`], { prepare: true }),
  },
  {
    name: "prepared 1-row SELECT, 32 in flight",
    inFlight: 32,
    statements: 8_000,
    run: (client, i) =>
      client.query("SELECT price, note FROM p WHERE sku = $1", [`S${i % 100}`], { prepare: true }),
  },
  {
    name: "plain 1-row SELECT, 32 in flight",
    inFlight: 32,
    statements: 8_000,
    run: (client, i) => client.query("SELECT price, note FROM p WHERE sku = $1", [`S${i % 100}`]),
  },
  {
    name: "plain 50-row SELECT, 8 in flight",
    inFlight: 8,
    statements: 2_000,
    run: (client) => client.query("SELECT sku, price, note FROM p ORDER BY sku LIMIT 50"),
  },
];

/** CPU per statement of `statements` runs, `inFlight` at a time, after a quarter as warm-up. */
const cpuPerStatement = async (client: SqlClient, { inFlight, statements, run }: Case) => {
  const loop = async (count: number) => {
    let at = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (at < count) await run(client, at++);
      }),
    );
  };
  await loop(statements / 4);
  const before = cpuUs();
  await loop(statements);
  return (cpuUs() - before) / statements;
};

/**
 * What a statement costs through the PGlite thread the services use (`openPgliteThread`) against
 * the same statement on PGlite in this thread: the price of the crossing (messages, structured
 * clone, waking the thread) and of the worker's side, in CPU µs per statement, each on a fresh
 * in-memory engine. Lower is better; the ratio is the crossing's overhead.
 */
export const pgliteThread: Bench = {
  name: "pglite-thread",
  run: async (context) => {
    const measure = async (open: () => Promise<SqlClient>) => {
      const client = await open();
      try {
        await setup(client);
        const figures: number[] = [];
        for (const each of CASES) figures.push(await cpuPerStatement(client, each));
        return figures;
      } finally {
        await client.close();
      }
    };
    context.log("pglite-thread: in process");
    const inProcess = await measure(() => openPglite());
    context.log("pglite-thread: on its thread");
    const onThread = await measure(() => openPgliteThread());
    CASES.forEach((each, i) => {
      context.report({
        bench: "pglite-thread",
        store: "pglite",
        name: each.name,
        unit: "µs CPU/statement",
        value: onThread[i] as number,
        baseline: inProcess[i] as number,
        baselineName: "the same in process",
      });
    });
  },
};
