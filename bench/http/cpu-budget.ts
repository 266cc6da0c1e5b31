import { readdir, readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { SqlQuery } from "@mebel/adapter-postgres";
import { median } from "../harness/measure.js";
import type { RunningServer } from "./servers.js";

/**
 * Where a round's CPU went, per request answered: the load generator (this process), the server
 * processes, and the PostgreSQL processes that served them. On a machine whose cores all of them
 * share, this is the raw limit of a route: no code can answer faster than the cores divided by the
 * CPU one answer costs, whatever the wall clock says on a noisy day.
 */
export interface CpuBudget {
  /** µs of CPU per answer, by who spent it. */
  readonly clientUs: number;
  readonly serverUs: number;
  /** Backends of the bench's database and the server's own workers (WAL writer and the like). */
  readonly databaseUs: number;
  readonly totalUs: number;
  /** Statements the servers sent to their database, per answer. */
  readonly statements: number;
  /** The servers' main threads: busy share of the round (1: the event loop never waited). */
  readonly serverLoopBusy: number;
  /**
   * The busiest thread of any server (its main thread, PGlite's worker, a GC helper): the share of
   * one core it used. Near 1, that thread is a serial limit no other core can lift.
   */
  readonly busiestServerThread: number;
  /** The whole machine (every process, this bench's or not): busy share of all its cores. */
  readonly machineBusy: number;
  /** Answers per second the cores allow at this cost: cores / total CPU per answer. */
  readonly ceilingPerSecond: number;
}

const CORES = availableParallelism();

/** Linux's /proc: a process's user + system CPU in ms, or undefined when it has exited. */
const processCpuMs = async (entry: string): Promise<number | undefined> => {
  try {
    const stat = await readFile(`/proc/${entry}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / 100;
  } catch {
    return undefined;
  }
};

/** The whole machine's busy and total time in ticks, from the first line of /proc/stat. */
const machineTicks = async (): Promise<{ busy: number; total: number } | undefined> => {
  try {
    const [line] = (await readFile("/proc/stat", "utf8")).split("\n");
    const [, ...values] = (line ?? "").trim().split(/\s+/);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = values.map((v) => Number(v));
    const sum = (...ticks: Array<number | undefined>) =>
      ticks.reduce<number>((a, b) => a + (b ?? 0), 0);
    const busy = sum(user, nice, system, irq, softirq, steal);
    return { busy, total: busy + sum(idle, iowait) };
  } catch {
    return undefined;
  }
};

/** CPU in ms of each `/proc` entry named (a pid, or `pid/task/tid` for a thread) still there. */
const cpuByEntry = async (entries: Iterable<string>): Promise<Map<string, number>> => {
  const read = await Promise.all(
    [...entries].map(async (entry) => [entry, await processCpuMs(entry)] as const),
  );
  return new Map(read.filter((e): e is readonly [string, number] => e[1] !== undefined));
};

/** Each thread of a process: its CPU in ms, by `/proc` entry. */
const threadsCpuMs = async (pid: number | undefined): Promise<Map<string, number>> => {
  if (pid === undefined) return new Map();
  const tids = await readdir(`/proc/${pid}/task`).catch(() => []);
  return cpuByEntry(tids.map((tid) => `${pid}/task/${tid}`));
};

const serverThreads = async (servers: ReadonlyArray<RunningServer>) =>
  new Map(
    (await Promise.all(servers.map((server) => threadsCpuMs(server.pid)))).flatMap((m) => [...m]),
  );

const databasePids = async (database: SqlQuery): Promise<number[]> => {
  const rows = await database.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE (datname = current_database() OR backend_type NOT IN ('client backend'))
        AND pid <> pg_backend_pid()`,
  );
  return rows.map((row) => Number(row.pid));
};

const databaseCpu = async (database: SqlQuery | undefined): Promise<Map<string, number>> =>
  database === undefined
    ? new Map()
    : cpuByEntry((await databasePids(database)).map((pid) => String(pid)));

/** What grew between two readings, for each key of the later one (a new key from 0). */
const grown = (before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>) =>
  [...after].map(([key, value]) => value - (before.get(key) ?? 0));

/**
 * Starts counting now; `stop(answered)` gives the budget of what happened in between. `database`
 * is the bench's own PostgreSQL connection (absent for PGlite, which runs inside the server).
 */
export const cpuBudget = async (
  servers: ReadonlyArray<RunningServer>,
  database?: SqlQuery,
): Promise<{ readonly stop: (answered: number) => Promise<CpuBudget> }> => {
  const serverStats = () => Promise.all(servers.map((server) => server.stats()));
  const dbBefore = await databaseCpu(database);
  const machineBefore = await machineTicks();
  const serversBefore = await serverStats();
  const threadsBefore = await serverThreads(servers);
  const clientBefore = process.cpuUsage();
  const began = performance.now();
  return {
    stop: async (answered) => {
      const client = process.cpuUsage(clientBefore);
      const wallMs = performance.now() - began;
      const serversAfter = await serverStats();
      const threadsAfter = await serverThreads(servers);
      const busiestMs = Math.max(0, ...grown(threadsBefore, threadsAfter));
      const machineAfter = await machineTicks();
      // A backend that began during the round counts from zero: its whole life was the round.
      const databaseMs = grown(dbBefore, await databaseCpu(database)).reduce((a, b) => a + b, 0);
      const serversGrew = (key: "cpuMs" | "loopBusyMs" | "statements") =>
        serversAfter.reduce(
          (sum, after, at) => sum + after[key] - (serversBefore[at]?.[key] ?? 0),
          0,
        );
      const serverMs = serversGrew("cpuMs");
      const loopBusyMs = serversGrew("loopBusyMs");
      const statements = serversGrew("statements");
      const perAnswer = (ms: number) => (answered === 0 ? Number.NaN : (ms * 1_000) / answered);
      const clientUs = perAnswer((client.user + client.system) / 1_000);
      const serverUs = perAnswer(serverMs);
      const databaseUs = perAnswer(databaseMs);
      const totalUs = clientUs + serverUs + databaseUs;
      return {
        clientUs,
        serverUs,
        databaseUs,
        totalUs,
        statements: answered === 0 ? Number.NaN : statements / answered,
        serverLoopBusy: loopBusyMs / (wallMs * servers.length),
        busiestServerThread: busiestMs / wallMs,
        machineBusy:
          machineBefore === undefined || machineAfter === undefined
            ? Number.NaN
            : (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
        ceilingPerSecond: (CORES * 1_000_000) / totalUs,
      };
    },
  };
};

/** The medians of several rounds' budgets, field by field. */
export const medianBudget = (budgets: ReadonlyArray<CpuBudget>): CpuBudget => {
  const mid = (key: keyof CpuBudget) => median(budgets.map((budget) => budget[key]));
  return {
    clientUs: mid("clientUs"),
    serverUs: mid("serverUs"),
    databaseUs: mid("databaseUs"),
    totalUs: mid("totalUs"),
    statements: mid("statements"),
    serverLoopBusy: mid("serverLoopBusy"),
    busiestServerThread: mid("busiestServerThread"),
    machineBusy: mid("machineBusy"),
    ceilingPerSecond: mid("ceilingPerSecond"),
  };
};
