import type { Settings } from "@mebel/runtime";
import type { Io } from "./io.js";

/** What every command is given: where to write, the settings, and how to report its exit code. */
export interface CliContext {
  readonly io: Io;
  /** The environment the command was started with: settings, and secrets that are no arguments. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Read when a command runs, after parsing: `--data-dir` is known only then. */
  readonly settings: () => Settings;
  /** Wraps a command's work as a commander action that records the exit code it returns. */
  readonly act: <Args extends ReadonlyArray<unknown>>(
    work: (...args: Args) => Promise<number>,
  ) => (...args: Args) => Promise<void>;
}
