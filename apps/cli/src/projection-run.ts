import type { AnyProjection, RebuildProgress } from "@mebel/core";
import type { Command } from "commander";
import * as t from "io-ts";
import { decodeArguments, ProjectionName } from "./arguments.js";
import type { CliContext } from "./cli-context.js";
import { INTERRUPTED } from "./failures.js";
import { type ProgressReport, progressReport } from "./progress.js";
import { type Stores, withStores } from "./stores.js";

const Arguments = t.type({ "<name>": ProjectionName });

/** How a run ended: at the head, or stopped by the operator at a committed checkpoint. */
export interface RunOutcome {
  readonly progress: RebuildProgress;
  readonly interrupted: boolean;
}

export interface ProjectionRun {
  readonly command: string;
  readonly description: string;
  /** Heads the final line: "replayed", "rebuilt". */
  readonly done: string;
  readonly run: (
    projection: AnyProjection,
    stores: Stores,
    report: ProgressReport,
    cli: CliContext,
  ) => Promise<RunOutcome>;
}

/** `mebel projections <replay|rebuild> <name>`: the argument, the stores and the progress bar. */
export const defineProjectionRun = (
  projections: Command,
  cli: CliContext,
  spec: ProjectionRun,
): Command =>
  projections
    .command(`${spec.command} <name>`)
    .description(spec.description)
    .action(
      cli.act(async (name: string) => {
        const { "<name>": projection } = decodeArguments(Arguments, { "<name>": name });
        return withStores(cli.settings(), async (stores) => {
          const report = progressReport(cli.io, {
            bar: `${spec.command} ${projection.name}`,
            done: `${spec.done} ${projection.name}`,
          });
          try {
            const outcome = await spec.run(projection, stores, report, cli);
            await report.finish(outcome.progress);
            return outcome.interrupted ? INTERRUPTED : 0;
          } finally {
            report.stop();
          }
        });
      }),
    );
