import { systemClock } from "@mebel/adapter-memory";
import { rebuildProjection } from "@mebel/core";
import type { Command } from "commander";
import type { CliContext } from "./cli-context.js";
import { defineProjectionRun } from "./projection-run.js";

export const defineProjectionsRebuild = (projections: Command, cli: CliContext): Command =>
  defineProjectionRun(projections, cli, {
    command: "rebuild",
    description:
      "rebuild a read model beside the live one and swap it in at the end: readers never see " +
      "it empty, and a running service carries on from the rebuilt checkpoint",
    done: "rebuilt",
    run: async (projection, { infra }, report, { io }) => {
      // rebuildProjection cannot be stopped part-way; abandoning it (a second Ctrl-C ends the
      // process) is harmless, since the live model is only replaced by the swap at the end.
      io.interrupt?.addEventListener(
        "abort",
        () =>
          void io.stderr.write(
            "mebel: the rebuild runs on to the swap; Ctrl-C again abandons it and leaves the live model as it was\n",
          ),
        { once: true },
      );
      const progress = await rebuildProjection(
        projection,
        { store: infra.store, readModels: infra.readModels, clock: systemClock },
        { onProgress: report.update, everyMs: 100 },
      );
      return { progress, interrupted: false };
    },
  });
