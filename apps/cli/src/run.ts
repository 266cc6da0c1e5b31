import { Command, CommanderError } from "commander";
import * as t from "io-ts";
import { DataDir, decodeArguments, optional } from "./arguments.js";
import type { CliContext } from "./cli-context.js";
import { defineEventsTail } from "./events-tail.js";
import { describeFailure, USAGE } from "./failures.js";
import { type Io, OutputClosed } from "./io.js";
import { defineProjectionsList } from "./projections-list.js";
import { defineProjectionsRebuild } from "./projections-rebuild.js";
import { defineProjectionsReplay } from "./projections-replay.js";
import { defineProjectionsSkip } from "./projections-skip.js";
import { defineProjectionsStatus } from "./projections-status.js";
import { type Env, settingsFrom } from "./stores.js";
import { defineStreamsRead } from "./streams-read.js";
import { defineUsers } from "./users.js";

const Globals = t.type({ "--data-dir": optional(DataDir) });

const program = (io: Io, env: Env, exitWith: (code: number) => void): Command => {
  const root = new Command("mebel")
    .description(
      "Operate Mebel's stores: projections, their lag, replays and rebuilds; streams; accounts.",
    )
    .option("--data-dir <dir>", "the embedded store's folder, instead of MEBEL_DATA_DIR")
    // Every command below inherits these, as they are set before the commands are added.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      // One line, suggestion included: "mebel: unknown command 'stauts' (Did you mean status?)".
      outputError: (s, write) =>
        write(
          `mebel: ${s
            .replace(/^error: /, "")
            .trim()
            .replace(/\s*\n\s*/g, " ")}\n`,
        ),
    });
  const cli: CliContext = {
    io,
    env,
    settings: () => {
      const { "--data-dir": dataDir } = decodeArguments(Globals, {
        "--data-dir": root.opts<{ dataDir?: string }>().dataDir,
      });
      return settingsFrom(env, dataDir);
    },
    act:
      (work) =>
      async (...args) => {
        exitWith(await work(...args));
      },
  };

  const projections = root.command("projections").description("read models and their lag");
  defineProjectionsList(projections, cli);
  defineProjectionsStatus(projections, cli);
  defineProjectionsReplay(projections, cli);
  defineProjectionsRebuild(projections, cli);
  defineProjectionsSkip(projections, cli);
  defineStreamsRead(root.command("streams").description("one stream's events"), cli);
  defineEventsTail(root.command("events").description("the global log"), cli);
  defineUsers(root.command("users").description("staff accounts of the embedded issuer"), cli);
  return root;
};

/**
 * Runs one command line (the arguments after `mebel`) and answers its exit code: 0 done, 1 the
 * work failed (a store unreachable or in use, a corrupt event), 2 the command line or the
 * settings are wrong, 130 interrupted. Every error is one line on stderr. A reader that stops
 * reading (`| head`) ends the command quietly with 0.
 */
export const run = async (argv: ReadonlyArray<string>, env: Env, io: Io): Promise<number> => {
  let exitCode = 0;
  try {
    await program(io, env, (code) => {
      exitCode = code;
    }).parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    // Commander has already said what was wrong; help asked for (`--help`, `help x`) exits 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE;
    if (error instanceof OutputClosed) return 0;
    const { line, code } = describeFailure(error);
    io.stderr.write(`${line}\n`);
    return code;
  }
};
