import type { Instance } from "./cluster.js";
import { sleep } from "./sleep.js";

export interface Takeover {
  readonly subscriber: string;
  readonly from: string;
  readonly to: string;
  /** From the kill to the first event the new leader handled; undefined if none was seen. */
  readonly firstHandledMs?: number;
  /** From the kill to the new leader reporting `running`. */
  readonly runningMs?: number;
}

export interface Kill {
  readonly instance: string;
  readonly at: number;
  readonly led: ReadonlyArray<string>;
  /** From the kill until the restarted process was serving again. */
  restartedMs?: number;
  readonly takeovers: Takeover[];
}

/** The instance of a group that leads the most subscribers, with their checkpoints there. */
export const leaderOf = async (
  group: ReadonlyArray<Instance>,
): Promise<{ readonly leader: Instance; readonly led: Map<string, bigint> } | undefined> => {
  let best: { leader: Instance; led: Map<string, bigint> } | undefined;
  for (const candidate of group) {
    const health = await candidate.health();
    if (!health.ok) continue;
    const led = new Map(
      health.subscribers
        .filter((s) => s.state === "running")
        .map((s) => [s.name, BigInt(s.checkpoint ?? "0")]),
    );
    if (led.size > 0 && (best === undefined || led.size > best.led.size)) {
      best = { leader: candidate, led };
    }
  }
  return best;
};

interface Watch {
  to?: string;
  runningMs?: number;
  /** The checkpoint the new leader was first seen running from. */
  from?: bigint;
}

/**
 * Watches the others of the group after the leader died: for each subscriber it led, when another
 * instance reports it running, and when that one has handled an event. The health answer holds
 * no count of events handled, but a checkpoint, which moves with every batch handled: past where
 * the dead leader was, or past where the new one started. Bounded: what is not seen within the
 * time is reported as not seen.
 */
const watchTakeover = async (
  kill: Kill,
  lastSeen: ReadonlyMap<string, bigint>,
  others: ReadonlyArray<Instance>,
): Promise<void> => {
  const pending = new Map<string, Watch>(kill.led.map((name) => [name, {}]));
  const until = kill.at + 30_000;
  while (pending.size > 0 && Date.now() < until) {
    for (const other of others) {
      const health = await other.health();
      if (!health.ok) continue;
      for (const s of health.subscribers) {
        const seen = pending.get(s.name);
        if (seen === undefined || s.state !== "running" || s.checkpoint === null) continue;
        const now = Date.now() - kill.at;
        const checkpoint = BigInt(s.checkpoint);
        if (seen.runningMs === undefined) Object.assign(seen, { to: other.name, runningMs: now });
        seen.from ??= checkpoint;
        if (checkpoint > seen.from || checkpoint > (lastSeen.get(s.name) ?? 0n)) {
          kill.takeovers.push({
            subscriber: s.name,
            from: kill.instance,
            to: other.name,
            firstHandledMs: now,
            ...(seen.runningMs === undefined ? {} : { runningMs: seen.runningMs }),
          });
          pending.delete(s.name);
        }
      }
    }
    await sleep(100);
  }
  for (const [subscriber, seen] of pending) {
    kill.takeovers.push({
      subscriber,
      from: kill.instance,
      to: seen.to ?? "nobody",
      ...(seen.runningMs === undefined ? {} : { runningMs: seen.runningMs }),
    });
  }
};

/**
 * kill -9 the leader of a group, start it again on the same port a moment later, and measure
 * how long its subscribers took to move.
 */
export const killLeader = async (
  group: ReadonlyArray<Instance>,
  restartAfterMs: number,
): Promise<Kill | undefined> => {
  const found = await leaderOf(group);
  if (found === undefined) return undefined;
  const { leader, led } = found;
  const kill: Kill = { instance: leader.name, at: Date.now(), led: [...led.keys()], takeovers: [] };
  await leader.kill9();
  const others = group.filter((i) => i !== leader);
  // A lone instance (the site) takes over from itself once started again.
  const watching = watchTakeover(kill, led, others.length > 0 ? others : [leader]);
  await sleep(restartAfterMs);
  await leader.start();
  kill.restartedMs = Date.now() - kill.at;
  await watching;
  return kill;
};
