import { describeFailure } from "./failures.js";
import { run } from "./run.js";

// A driver failing in the background must still end in one line, not a stack trace.
const crash = (error: unknown): void => {
  process.stderr.write(`${describeFailure(error).line}\n`);
  process.exit(1);
};
// The first Ctrl-C asks the command to stop cleanly (stores closed, PGlite's folder released);
// a second one ends the process at once.
const interrupt = new AbortController();
const onInterrupt = (): void => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
};
process.on("SIGINT", onInterrupt);
// `mebel events tail | head` closes the pipe early: the next write fails and ends the command
// quietly (see writeLine); without a listener the stream's error would crash the process.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") crash(error);
});
process.on("uncaughtException", crash);
process.on("unhandledRejection", crash);

process.exitCode = await run(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
  interrupt: interrupt.signal,
});
process.off("SIGINT", onInterrupt);
