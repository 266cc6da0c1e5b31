import type { Cluster, Instance } from "./cluster.js";
import { sleep } from "./sleep.js";

export interface QuietReport {
  readonly quiet: boolean;
  /** Why not, besides what failed or ran twice: per instance and subscriber or sweep. */
  readonly problems: ReadonlyArray<string>;
  readonly failed: ReadonlyArray<string>;
  /** Subscribers that more than one instance of a group said it was running. */
  readonly doubled: ReadonlyArray<string>;
}

/** One look: every subscriber of each group running on exactly one instance, at lag 0. */
const look = async (
  groups: ReadonlyArray<ReadonlyArray<Instance>>,
): Promise<{ problems: string[]; failed: string[]; doubled: string[]; heads: string[] }> => {
  const problems: string[] = [];
  const failed: string[] = [];
  const doubled: string[] = [];
  const heads: string[] = [];
  for (const group of groups) {
    const leaders = new Map<string, string[]>();
    for (const instance of group) {
      const health = await instance.health();
      if (!health.ok) {
        problems.push(`${instance.name}: no health answer (${health.reason})`);
        continue;
      }
      for (const s of health.sweeps) {
        if (s.state === "failed") failed.push(`${instance.name} ${s.name}: ${s.error ?? "failed"}`);
        else if (s.state !== "running") problems.push(`${instance.name} ${s.name}: ${s.state}`);
      }
      for (const s of health.subscribers) {
        if (s.head !== null) heads.push(s.head);
        if (s.state === "failed") failed.push(`${instance.name} ${s.name}: ${s.error ?? "failed"}`);
        if (s.state === "running") {
          leaders.set(s.name, [...(leaders.get(s.name) ?? []), instance.name]);
          if (s.lag !== "0") problems.push(`${instance.name} ${s.name}: lag ${s.lag}`);
        } else {
          leaders.set(s.name, leaders.get(s.name) ?? []);
          if (s.state !== "standby") problems.push(`${instance.name} ${s.name}: ${s.state}`);
        }
      }
    }
    for (const [name, on] of leaders) {
      if (on.length === 0) problems.push(`${name} running nowhere`);
      if (on.length > 1) doubled.push(`${name} running on ${on.join(" and ")}`);
    }
  }
  return { problems, failed, doubled, heads };
};

/**
 * Waits until the cluster is quiet: every subscriber caught up, twice in a row with the same head
 * (process managers append, and others then have more to do). Bounded by `timeoutMs`.
 */
export const waitForQuiet = async (cluster: Cluster, timeoutMs: number): Promise<QuietReport> => {
  const groups = [cluster.warehouses, cluster.deliveries, [cluster.site]];
  const until = Date.now() + timeoutMs;
  let previous: string | undefined;
  for (;;) {
    const { problems, failed, doubled, heads } = await look(groups);
    const head = [...new Set(heads)].join(",");
    const settled = problems.length + failed.length + doubled.length === 0;
    if (settled && head === previous) {
      return { quiet: true, problems, failed, doubled };
    }
    previous = settled ? head : undefined;
    if (Date.now() > until) return { quiet: false, problems, failed, doubled };
    await sleep(500);
  }
};
