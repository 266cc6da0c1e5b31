import type { Outage } from "./cluster.js";
import type { Violations } from "./invariants.js";
import { acknowledged, type CommandRecord, upstreamTimedOut } from "./journal.js";
import type { Kill } from "./kills.js";

const countBy = <T>(items: ReadonlyArray<T>, key: (item: T) => string | undefined) => {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
};

/** Warnings and errors the services logged (pino's JSON lines), by level and message. */
const logLines = (outputs: ReadonlyArray<string>): string => {
  const lines: Array<{ level: number; msg: string }> = [];
  for (const line of outputs.flatMap((o) => o.split("\n"))) {
    try {
      const parsed = JSON.parse(line) as { level?: unknown; msg?: unknown };
      if (typeof parsed.level === "number" && parsed.level >= 40) {
        lines.push({ level: parsed.level, msg: String(parsed.msg) });
      }
    } catch {
      // Not a log line: the ready banner, a stack trace.
    }
  }
  return countBy(lines, (l) => `${l.level >= 50 ? "error" : "warn"} "${l.msg}"`);
};

const ms = (n: number | undefined) => (n === undefined ? "not seen" : `${n} ms`);

/** What the run did and what it found, for people reading the test's output. */
export const summarise = (run: {
  readonly commands: ReadonlyArray<CommandRecord>;
  readonly kills: ReadonlyArray<Kill>;
  readonly blips: ReadonlyArray<Outage>;
  readonly journeys: number;
  readonly events: number;
  readonly seconds: number;
  readonly violations: Violations;
  /** Everything each service process wrote, over all its lives. */
  readonly outputs: ReadonlyArray<string>;
  /** Instances that died by themselves, with what they wrote last: the stack of the crash. */
  readonly crashes: ReadonlyArray<{ readonly instance: string; readonly output: string }>;
}): string => {
  const { commands } = run;
  const attempts = commands.flatMap((c) => c.attempts);
  const refused = commands.filter((c) => c.final !== undefined && !acknowledged(c));
  const lines = [
    "",
    `failover: ${run.journeys} journeys, ${commands.length} commands, ${attempts.length} attempts, ${run.events} events in the log, ${run.seconds.toFixed(0)} s`,
    `  acknowledged ${commands.filter(acknowledged).length}; refused ${refused.length}: ${countBy(refused, (c) => `${c.final?.status} ${c.final?.code ?? ""}`) || "none"}`,
    `  by kind: ${countBy(commands, (c) => c.kind)}`,
    `  attempts without an answer: ${countBy(attempts, (a) => ("failure" in a ? a.failure : undefined)) || "none"}; 5xx answers: ${countBy(attempts, (a) => ("status" in a && a.status >= 500 ? `${a.status} ${a.code ?? ""}` : undefined)) || "none"}; key in use: ${attempts.filter((a) => "code" in a && a.code === "IDEMPOTENCY_KEY_IN_USE").length}; site timed out waiting for the warehouse: ${attempts.filter(upstreamTimedOut).length}`,
    `  kills: ${run.kills.length}`,
    ...run.kills.map(
      (k) =>
        `    ${k.instance} (led ${k.led.length}; back in ${ms(k.restartedMs)}): ${k.takeovers
          .map(
            (t) =>
              `${t.subscriber} -> ${t.to} running ${ms(t.runningMs)}, first event ${ms(t.firstHandledMs)}`,
          )
          .join("; ")}`,
    ),
    `  logged: ${logLines(run.outputs) || "nothing at warn or above"}`,
    ...run.blips.map((b) => `  database blip: ${b.ended ?? 0} connections ended`),
    `  violations: ${Object.keys(run.violations).length === 0 ? "none" : ""}`,
    ...Object.entries(run.violations).flatMap(([kind, { count, examples }]) => [
      `    ${kind}: ${count}`,
      ...examples.map((e) => `      ${e.slice(0, 600)}`),
    ]),
    ...run.crashes.flatMap((c) => [
      `  ${c.instance} died; its last words:`,
      c.output.slice(-4_000),
    ]),
    "",
  ];
  return lines.join("\n");
};
