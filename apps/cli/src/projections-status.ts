import { toJson } from "@mebel/adapter-http";
import { backOfficeProjections, type Position, readModelName } from "@mebel/core";
import type { Infrastructure, Settings } from "@mebel/runtime";
import type { Command } from "commander";
import * as t from "io-ts";
import { decodeArguments } from "./arguments.js";
import type { CliContext } from "./cli-context.js";
import { writeLines } from "./io.js";
import { withStores } from "./stores.js";
import { table } from "./table.js";

export interface ProjectionStatus {
  readonly projection: string;
  readonly version: number;
  readonly readModel: string;
  readonly checkpoint: Position | null;
  readonly head: Position | null;
  /** Head minus checkpoint: events on PostgreSQL and memory, log positions on EventStoreDB. */
  readonly lag: bigint;
  readonly lagUnit: "events" | "positions";
  readonly caughtUp: boolean;
}

/**
 * Every projection's checkpoint against the head. The checkpoints are read first, so the lag
 * shown is never less than the lag there was.
 */
export const projectionStatuses = async (
  infra: Infrastructure,
  settings: Settings,
): Promise<ReadonlyArray<ProjectionStatus>> => {
  const checkpoints = await Promise.all(
    backOfficeProjections.map((p) => infra.readModels.checkpoint(readModelName(p))),
  );
  const head = await infra.store.head();
  return backOfficeProjections.map((p, i) => {
    const checkpoint = checkpoints[i];
    const behind = head === undefined ? 0n : head - (checkpoint ?? 0n);
    const lag = behind > 0n ? behind : 0n;
    return {
      projection: p.name,
      version: p.version,
      readModel: readModelName(p),
      checkpoint: checkpoint ?? null,
      head: head ?? null,
      lag,
      lagUnit: settings.events.kind === "eventstoredb" ? "positions" : "events",
      caughtUp: lag === 0n,
    };
  });
};

const Options = t.type({ "--json": t.boolean });

export const defineProjectionsStatus = (projections: Command, cli: CliContext): Command =>
  projections
    .command("status")
    .description("per projection: checkpoint, head, lag (head minus checkpoint), caught up or not")
    .option("--json", "one JSON object per projection and line", false)
    .action(
      cli.act(async (options: { json: boolean }) => {
        const { "--json": json } = decodeArguments(Options, { "--json": options.json });
        const statuses = await withStores(cli.settings(), ({ infra, settings }) =>
          projectionStatuses(infra, settings),
        );
        const lines = json
          ? statuses.map((s) => toJson(s))
          : [
              ...table(
                ["projection", "read model", "checkpoint", "head", "lag", "caught up"],
                statuses.map((s) => [
                  s.projection,
                  s.readModel,
                  s.checkpoint?.toString() ?? "-",
                  s.head?.toString() ?? "-",
                  s.lag.toString(),
                  s.caughtUp ? "yes" : "no",
                ]),
              ),
              ...(statuses[0]?.lagUnit === "positions"
                ? ["(lag counts EventStoreDB log positions, not events)"]
                : []),
            ];
        await writeLines(cli.io.stdout, lines);
        return 0;
      }),
    );
