import type { EventStore, Position, StoredEvent } from "@mebel/core";
import type { Settings } from "@mebel/runtime";
import { type Command, Option } from "commander";
import * as t from "io-ts";
import { CategoryName, decodeArguments, LogPosition, optional } from "./arguments.js";
import type { CliContext } from "./cli-context.js";
import { eventJson, eventLine } from "./event-lines.js";
import { INTERRUPTED, UsageError } from "./failures.js";
import { interrupted, writeLines } from "./io.js";
import { withStores } from "./stores.js";

const Arguments = t.type({
  "--from": optional(LogPosition),
  "--from-end": t.boolean,
  "--category": t.array(CategoryName),
  "--json": t.boolean,
  "--follow": t.boolean,
});

interface Where {
  readonly after?: Position;
  readonly categories?: ReadonlyArray<string>;
}

/** Pages through the log up to its end; false when the operator interrupted. */
const readToEnd = async (
  store: EventStore,
  where: Where,
  print: (events: ReadonlyArray<StoredEvent>) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<boolean> => {
  let after = where.after;
  for (;;) {
    if (signal?.aborted) return false;
    const page = await store.readAll({
      ...where,
      ...(after === undefined ? {} : { after }),
      maxCount: 1_000,
    });
    await print(page.events);
    if (page.isEnd || page.position === undefined) return true;
    after = page.position;
  }
};

/** Catches up, then prints live appends until the operator interrupts. */
const follow = async (
  store: EventStore,
  where: Where,
  print: (events: ReadonlyArray<StoredEvent>) => Promise<void>,
  cli: CliContext,
): Promise<void> => {
  const subscription = store.subscribe(where, (batch) => print(batch.events));
  try {
    await Promise.race([subscription.done, interrupted(cli.io)]);
  } finally {
    await subscription.stop();
  }
  await subscription.done;
};

const BIGINT_MAX = 2n ** 63n - 1n;

/** PostgreSQL counts events in a bigint; only EventStoreDB's packed positions go beyond it. */
const checkPositionFits = (from: Position | undefined, settings: Settings): void => {
  if (from !== undefined && from > BIGINT_MAX && settings.events.kind !== "eventstoredb") {
    throw new UsageError(`--from: expected a log position up to ${BIGINT_MAX}, got "${from}"`);
  }
};

interface Options {
  readonly from?: string;
  readonly fromEnd: boolean;
  readonly category: ReadonlyArray<string>;
  readonly json: boolean;
  readonly follow: boolean;
}

export const defineEventsTail = (events: Command, cli: CliContext): Command =>
  events
    .command("tail")
    .description("events of the global log in order: position, stream@revision, time, type, data")
    .option("--from <position>", "only events after this position (a checkpoint, or a #position)")
    .addOption(
      new Option("--from-end", "only events appended from now on (with --follow)")
        .default(false)
        .conflicts("from"),
    )
    .option(
      "--category <category>",
      "only streams of this category (Order, StockItem, Delivery); repeatable",
      (value: string, previous: ReadonlyArray<string>) => [...previous, value],
      [],
    )
    .option("--json", "one JSON object per event and line", false)
    .option("--follow", "keep printing events as they are appended, until Ctrl-C", false)
    .action(
      cli.act(async (options: Options) => {
        const args = decodeArguments(Arguments, {
          "--from": options.from,
          "--from-end": options.fromEnd,
          "--category": options.category,
          "--json": options.json,
          "--follow": options.follow,
        });
        const format = args["--json"] ? eventJson : eventLine;
        const print = (events: ReadonlyArray<StoredEvent>) =>
          writeLines(cli.io.stdout, events.map(format));
        const categories = args["--category"];
        const settings = cli.settings();
        checkPositionFits(args["--from"], settings);
        return withStores(settings, async ({ infra }) => {
          const after = args["--from-end"] ? await infra.store.head() : args["--from"];
          const where: Where = {
            ...(after === undefined ? {} : { after }),
            ...(categories.length === 0 ? {} : { categories }),
          };
          if (args["--follow"]) {
            await follow(infra.store, where, print, cli);
            return 0;
          }
          return (await readToEnd(infra.store, where, print, cli.io.interrupt)) ? 0 : INTERRUPTED;
        });
      }),
    );
