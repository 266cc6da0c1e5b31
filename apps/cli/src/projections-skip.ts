import { userInfo } from "node:os";
import { backOfficeProcesses, backOfficeProjections, parkEvent, readModelName } from "@mebel/core";
import type { Command } from "commander";
import * as t from "io-ts";
import { decodeArguments, LogPosition } from "./arguments.js";
import type { CliContext } from "./cli-context.js";
import { writeLine } from "./io.js";
import { withStores } from "./stores.js";

/** Every subscriber by the name it runs under: `order-view.v1`, `process.handover`, ... */
const subscribers = new Map<string, string>([
  ...backOfficeProjections.flatMap((p) => [
    [p.name, readModelName(p)] as const,
    [readModelName(p), readModelName(p)] as const,
  ]),
  ...backOfficeProcesses([]).flatMap((m) => [
    [m.name, `process.${m.name}`] as const,
    [`process.${m.name}`, `process.${m.name}`] as const,
  ]),
]);

const SubscriberName = new t.Type<string, string, unknown>(
  `a projection or process manager (${[...new Set(subscribers.values())].join(", ")})`,
  (u): u is string => typeof u === "string" && [...subscribers.values()].includes(u),
  (u, c) => {
    const name = typeof u === "string" ? subscribers.get(u) : undefined;
    return name === undefined ? t.failure(u, c) : t.success(name);
  },
  (name) => name,
);

const Reason = t.refinement(t.string, (s) => s.trim().length >= 3, "a reason (a few words)");
const By = t.refinement(t.string, (s) => /^\S{1,100}$/.test(s), "who (one word, as a login)");

const Arguments = t.type({
  "<name>": SubscriberName,
  "--position": LogPosition,
  "--reason": Reason,
  "--by": By,
});

/**
 * `mebel projections skip <name> --position P --reason "..."`: park one event for one subscriber,
 * recorded with who and why. Nothing is skipped silently: the subscriber steps over exactly that
 * position once restarted, and `/health` counts what it has parked.
 */
export const defineProjectionsSkip = (projections: Command, cli: CliContext): Command =>
  projections
    .command("skip <name>")
    .description("park one event for a projection or process manager that cannot get past it")
    .requiredOption("--position <position>", "the event's global position, as /health names it")
    .requiredOption("--reason <reason>", "why it is parked, for whoever reads it next")
    .option("--by <who>", "who parks it (default: your login)")
    .action(
      cli.act(async (name: string, options: { position: string; reason: string; by?: string }) => {
        const args = decodeArguments(Arguments, {
          "<name>": name,
          "--position": options.position,
          "--reason": options.reason,
          "--by": options.by ?? userInfo().username,
        });
        await withStores(cli.settings(), ({ infra }) =>
          parkEvent(infra.readModels, args["<name>"], {
            position: args["--position"],
            reason: args["--reason"],
            by: args["--by"],
            at: new Date(),
          }),
        );
        await writeLine(
          cli.io.stdout,
          `parked position ${args["--position"]} for ${args["<name>"]} (by ${args["--by"]}); restart the service that runs it to go on`,
        );
        return 0;
      }),
    );
