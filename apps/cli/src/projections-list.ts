import { backOfficeProjections, readModelName } from "@mebel/core";
import type { Command } from "commander";
import type { CliContext } from "./cli-context.js";
import { writeLines } from "./io.js";
import { table } from "./table.js";

/** `mebel projections list`: needs no store, so it also works while the services run. */
export const defineProjectionsList = (projections: Command, cli: CliContext): Command =>
  projections
    .command("list")
    .description("every projection: name, version, read-model name and the categories it reads")
    .action(
      cli.act(async () => {
        const rows = backOfficeProjections.map((p) => [
          p.name,
          String(p.version),
          readModelName(p),
          p.categories.join(", "),
        ]);
        await writeLines(
          cli.io.stdout,
          table(["projection", "version", "read model", "categories"], rows),
        );
        return 0;
      }),
    );
