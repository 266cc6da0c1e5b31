import { toJson } from "@mebel/adapter-http";
import { backOfficeProjections, loadParked, type Position, readModelName } from "@mebel/core";
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
  /** Events of its categories after its checkpoint (counted up to a limit). */
  readonly lag: bigint;
  readonly lagUnit: "events";
  readonly caughtUp: boolean;
  /** Events an operator parked for it (`projections skip`), which it steps over. */
  readonly parked: number;
}

const LAG_COUNT_LIMIT = 100_000;

/**
 * How many events of the projection's categories come after its stored checkpoint: what it still
 * has to apply. Not head minus checkpoint: a projection stores its checkpoint only when it applies
 * something, so events of other categories would show as lag they are not. Counting stops at a
 * limit, so a far-behind projection costs a bounded read.
 */
const pendingEvents = async (
  infra: Infrastructure,
  after: Position | undefined,
  categories: ReadonlyArray<string>,
): Promise<bigint> => {
  let count = 0;
  let position = after;
  for (;;) {
    const page = await infra.store.readAll({
      ...(position === undefined ? {} : { after: position }),
      categories,
      maxCount: 5_000,
    });
    count += page.events.length;
    if (page.isEnd || page.position === undefined || count >= LAG_COUNT_LIMIT) return BigInt(count);
    position = page.position;
  }
};

/** Every projection's stored checkpoint, the head, and the events it has still to apply. */
export const projectionStatuses = async (
  infra: Infrastructure,
  _settings: Settings,
): Promise<ReadonlyArray<ProjectionStatus>> => {
  const head = await infra.store.head();
  return Promise.all(
    backOfficeProjections.map(async (p) => {
      const checkpoint = await infra.readModels.checkpoint(readModelName(p));
      const lag = await pendingEvents(infra, checkpoint, p.categories);
      return {
        projection: p.name,
        version: p.version,
        readModel: readModelName(p),
        checkpoint: checkpoint ?? null,
        head: head ?? null,
        lag,
        lagUnit: "events" as const,
        caughtUp: lag === 0n,
        parked: (await loadParked(infra.readModels, readModelName(p))).length,
      };
    }),
  );
};

const Options = t.type({ "--json": t.boolean });

export const defineProjectionsStatus = (projections: Command, cli: CliContext): Command =>
  projections
    .command("status")
    .description("per projection: checkpoint, head, lag (events still to apply), caught up or not")
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
                ["projection", "read model", "checkpoint", "head", "lag", "caught up", "parked"],
                statuses.map((s) => [
                  s.projection,
                  s.readModel,
                  s.checkpoint?.toString() ?? "-",
                  s.head?.toString() ?? "-",
                  s.lag.toString(),
                  s.caughtUp ? "yes" : "no",
                  String(s.parked),
                ]),
              ),
            ];
        await writeLines(cli.io.stdout, lines);
        return 0;
      }),
    );
