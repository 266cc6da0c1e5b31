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
const processCpuMs = async (pid: number | string): Promise<number | undefined> => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
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

/** Each thread of a process, by id: its CPU in ms. */
const threadsCpuMs = async (pid: number | undefined): Promise<Map<string, number>> => {
  if (pid === undefined) return new Map();
  try {
    const tids = await readdir(`/proc/${pid}/task`);
    const entries = await Promise.all(
      tids.map(
        async (tid): Promise<readonly [string, number | undefined]> => [
          `${pid}/${tid}`,
          await processCpuMs(`${pid}/task/${tid}`),
        ],
      ),
    );
    return new Map(entries.filter((e): e is readonly [string, number] => e[1] !== undefined));
  } catch {
    return new Map();
  }
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

const sumCpu = async (pids: Iterable<number>): Promise<Map<number, number>> => {
  const entries = await Promise.all(
    [...pids].map(async (pid) => [pid, await processCpuMs(pid)] as const),
  );
  return new Map(entries.filter((e): e is readonly [number, number] => e[1] !== undefined));
};

/**
 * Starts counting now; `stop(answered)` gives the budget of what happened in between. `database`
 * is the bench's own PostgreSQL connection (absent for PGlite, which runs inside the server).
 */
export const cpuBudget = async (
  servers: ReadonlyArray<RunningServer>,
  database?: SqlQuery,
): Promise<{ readonly stop: (answered: number) => Promise<CpuBudget> }> => {
  const serverStats = () => Promise.all(servers.map((server) => server.stats()));
  const dbBefore = database === undefined ? new Map() : await sumCpu(await databasePids(database));
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
      const busiestMs = Math.max(
        0,
        ...[...threadsAfter].map(([tid, after]) => after - (threadsBefore.get(tid) ?? 0)),
      );
      const machineAfter = await machineTicks();
      // A backend that began during the round counts from zero: its whole life was the round.
      const dbAfter =
        database === undefined ? new Map() : await sumCpu(await databasePids(database));
      const databaseMs = [...dbAfter].reduce(
        (sum, [pid, after]) => sum + after - (dbBefore.get(pid) ?? 0),
        0,
      );
      const serverMs = serversAfter.reduce(
        (sum, after, at) => sum + after.cpuMs - (serversBefore[at]?.cpuMs ?? 0),
        0,
      );
      const loopBusyMs = serversAfter.reduce(
        (sum, after, at) => sum + after.loopBusyMs - (serversBefore[at]?.loopBusyMs ?? 0),
        0,
      );
      const statements = serversAfter.reduce(
        (sum, after, at) => sum + after.statements - (serversBefore[at]?.statements ?? 0),
        0,
      );
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
