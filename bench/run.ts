import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { appendBatch, appendOne } from "./appends.js";
import { commandsMemory } from "./commands-memory.js";
import type { Bench, BenchContext } from "./harness/bench.js";
import { databases } from "./harness/databases.js";
import { describeMachine } from "./harness/machine.js";
import { fullProfile, quickProfile } from "./harness/profile.js";
import { jsonLine, type Result, table } from "./harness/report.js";
import { hotSku } from "./hot-sku.js";
import { httpCommands } from "./http-commands.js";
import { loadLong } from "./load-long.js";
import { loadShort } from "./load-short.js";
import { pgliteThread } from "./pglite-thread.js";
import { queriesBench } from "./queries.js";
import { replay } from "./replay.js";
import { soak } from "./soak.js";

/**
 * `npm run bench -- [--quick] [NAME...]`: the benches named (all when none), each subject beside
 * its raw baseline from the same run, then a Markdown table and one JSON line per result.
 */
const BENCHES: ReadonlyArray<Bench> = [
  appendOne,
  appendBatch,
  loadShort,
  loadLong,
  replay,
  commandsMemory,
  httpCommands,
  hotSku,
  queriesBench,
  pgliteThread,
];

const args = process.argv.slice(2);
const names = args.filter((arg) => !arg.startsWith("--"));

/** `--soak-minutes=N`: how long `--soak` runs (30 when not given), 1 to 1,440. */
const SoakMinutes = t.refinement(
  t.union([t.undefined, t.string]),
  (s) => s === undefined || (/^\d{1,4}$/.test(s) && Number(s) >= 1 && Number(s) <= 1_440),
  "whole minutes, 1 to 1440",
);
const soakMinutes = SoakMinutes.decode(
  args.find((arg) => arg.startsWith("--soak-minutes="))?.slice("--soak-minutes=".length),
);
if (E.isLeft(soakMinutes)) {
  process.stderr.write("--soak-minutes takes whole minutes, 1 to 1440.\n");
  process.exit(2);
}
/** `--soak-rate=N`: the soak's commands per second (as fast as they go when not given). */
const SoakRate = t.refinement(
  t.union([t.undefined, t.string]),
  (s) => s === undefined || (/^\d{1,5}$/.test(s) && Number(s) >= 1),
  "whole requests per second, 1 to 99999",
);
const soakRate = SoakRate.decode(
  args.find((arg) => arg.startsWith("--soak-rate="))?.slice("--soak-rate=".length),
);
if (E.isLeft(soakRate)) {
  process.stderr.write("--soak-rate takes whole requests per second, 1 to 99999.\n");
  process.exit(2);
}
const unknown = names.filter((name) => !BENCHES.some((bench) => bench.name === name));
if (unknown.length > 0) {
  process.stderr.write(
    `Unknown bench ${unknown.join(", ")}; there are: ${BENCHES.map((b) => b.name).join(", ")}\n`,
  );
  process.exit(2);
}
// The soak is a profile of its own: long, and never part of a run of the others.
const selected = args.includes("--soak")
  ? [
      soak(
        Number(soakMinutes.right ?? 30),
        soakRate.right === undefined ? undefined : Number(soakRate.right),
      ),
    ]
  : names.length === 0
    ? BENCHES
    : BENCHES.filter((b) => names.includes(b.name));

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1_000).toFixed(1).padStart(6)} s`;
const opened = databases();
const usedStores = new Set<string>();
const results: Result[] = [];
const context: BenchContext = {
  profile: args.includes("--quick") ? quickProfile : fullProfile,
  databases: {
    get: (kind) => {
      usedStores.add(kind);
      return opened.get(kind);
    },
    closeAll: opened.closeAll,
  },
  log: (line) => process.stderr.write(`[${elapsed()}] ${line}\n`),
  report: (result) => {
    results.push(result);
    process.stderr.write(`  ${jsonLine(result)}\n`);
  },
};

// Ctrl-C still drops the database and deletes the folders.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    process.stderr.write(`${signal}: cleaning up\n`);
    void opened.closeAll().finally(() => process.exit(130));
  });
}

let failed = false;
try {
  for (const bench of selected) {
    try {
      await bench.run(context);
    } catch (error) {
      failed = true;
      process.stderr.write(
        `${bench.name} failed: ${error instanceof Error ? error.stack : error}\n`,
      );
    }
  }
  const machine = await describeMachine(context.databases, usedStores);
  process.stdout.write(`${JSON.stringify({ machine, profile: context.profile })}\n\n`);
  process.stdout.write(`${table(results)}\n\n`);
  for (const result of results) process.stdout.write(`${jsonLine(result)}\n`);
} finally {
  await opened.closeAll();
}
process.exit(failed ? 1 : 0);
