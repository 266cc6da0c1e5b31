import type { Cluster, Instance } from "./cluster.js";

export interface QuietReport {
  readonly quiet: boolean;
  /** Why not, or what was failing: per instance and subscriber. */
  readonly problems: ReadonlyArray<string>;
  readonly failed: ReadonlyArray<string>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One look: every subscriber of each group running on exactly one instance, at lag 0. */
const look = async (
  groups: ReadonlyArray<ReadonlyArray<Instance>>,
): Promise<{ problems: string[]; failed: string[]; heads: string[] }> => {
  const problems: string[] = [];
  const failed: string[] = [];
  const heads: string[] = [];
  for (const group of groups) {
    const leaders = new Map<string, string[]>();
    for (const instance of group) {
      const health = await instance.health();
      if (!health.ok) {
        problems.push(`${instance.name}: no health answer (${health.reason})`);
        continue;
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
      if (on.length !== 1) problems.push(`${name} running on ${on.length} instances`);
    }
  }
  return { problems: [...problems, ...failed], failed, heads };
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
    const { problems, failed, heads } = await look(groups);
    const head = [...new Set(heads)].join(",");
    if (problems.length === 0 && head === previous) return { quiet: true, problems, failed };
    previous = problems.length === 0 ? head : undefined;
    if (Date.now() > until) return { quiet: false, problems, failed };
    await sleep(500);
  }
};
