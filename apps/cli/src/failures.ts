/** The command line (or the environment) is wrong: exit code 2, nothing was touched. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The command could not do its work (a store is unreachable or in use): exit code 1. */
export class Failure extends Error {
  override readonly name = "Failure";
}

export const USAGE = 2;
export const FAILED = 1;
/** What a shell reports for a process stopped by Ctrl-C. */
export const INTERRUPTED = 130;

/**
 * Node reports a refused connection to `localhost` (IPv4 and IPv6 tried) as an AggregateError
 * with an empty message: the first inner error says what happened.
 */
export const messageOf = (error: unknown): string => {
  if (error instanceof AggregateError && error.message === "" && error.errors.length > 0) {
    return messageOf(error.errors[0]);
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return error.message !== "" ? error.message : (code ?? error.name);
  }
  return String(error);
};

/** One line for the operator and the exit code: never a stack trace. */
export const describeFailure = (
  error: unknown,
): { readonly line: string; readonly code: number } => ({
  line: `mebel: ${messageOf(error)
    .replace(/\s*\n\s*/g, " ")
    .trim()}`,
  code: error instanceof UsageError ? USAGE : FAILED,
});
