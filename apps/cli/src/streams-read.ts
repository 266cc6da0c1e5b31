import type { EventStore, StoredEvent } from "@mebel/core";
import type { Command } from "commander";
import * as t from "io-ts";
import { Count, decodeArguments, optional, Revision, StreamName } from "./arguments.js";
import type { CliContext } from "./cli-context.js";
import { eventJson, eventLine } from "./event-lines.js";
import { writeLines } from "./io.js";
import { withStores } from "./stores.js";

const PAGE = 1_000;

const Arguments = t.type({
  "<stream>": StreamName,
  "--from": optional(Revision),
  "--max": optional(Count),
  "--backwards": t.boolean,
  "--json": t.boolean,
});
type Arguments = t.TypeOf<typeof Arguments>;

/**
 * Reads page by page, handing each page on as it comes: a popular StockItem stream collects
 * events forever, and printing it must not hold it all in memory.
 */
const eachPage = async (
  store: EventStore,
  args: Arguments,
  use: (events: ReadonlyArray<StoredEvent>) => Promise<void>,
): Promise<void> => {
  const backwards = args["--backwards"];
  let from = args["--from"];
  let left = args["--max"] ?? Number.POSITIVE_INFINITY;
  while (left > 0 && (from === undefined || from >= 0n)) {
    const page = await store.readStream(args["<stream>"], {
      direction: backwards ? "backwards" : "forwards",
      ...(from === undefined ? {} : { fromRevision: from }),
      maxCount: Math.min(PAGE, left),
    });
    await use(page);
    const last = page[page.length - 1];
    if (last === undefined || page.length < Math.min(PAGE, left)) return;
    left -= page.length;
    from = backwards ? last.revision - 1n : last.revision + 1n;
  }
};

interface Options {
  readonly from?: string;
  readonly max?: string;
  readonly backwards: boolean;
  readonly json: boolean;
}

/** `mebel streams read <stream>`: a missing stream reads as no events, as the port says. */
export const defineStreamsRead = (streams: Command, cli: CliContext): Command =>
  streams
    .command("read <stream>")
    .description("the events of one stream: position, stream@revision, time, type and data")
    .option("--from <revision>", "first revision to show (backwards: the newest to show)")
    .option("--backwards", "newest first", false)
    .option("--max <n>", "show at most n events")
    .option("--json", "one JSON object per event and line", false)
    .action(
      cli.act(async (stream: string, options: Options) => {
        const args = decodeArguments(Arguments, {
          "<stream>": stream,
          "--from": options.from,
          "--max": options.max,
          "--backwards": options.backwards,
          "--json": options.json,
        });
        const format = args["--json"] ? eventJson : eventLine;
        await withStores(cli.settings(), ({ infra }) =>
          eachPage(infra.store, args, (page) => writeLines(cli.io.stdout, page.map(format))),
        );
        return 0;
      }),
    );
