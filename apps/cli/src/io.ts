/** Where a command writes: process.stdout and process.stderr, or captures of them in tests. */
export interface Output {
  /** As a Node stream's: false asks the writer to wait; `done` says when the chunk is out. */
  readonly write: (chunk: string, done?: (error?: Error | null) => void) => boolean;
  /** A terminal gets a progress bar; a pipe or a file gets only the final lines. */
  readonly isTTY?: boolean;
}

export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  /**
   * Aborted when the operator interrupts (Ctrl-C): a following tail stops and exits 0, a replay
   * stops at a committed checkpoint. Without it, nothing is interruptible.
   */
  readonly interrupt?: AbortSignal;
}

/** The reader went away (`mebel events tail | head`): the command stops, quietly. */
export class OutputClosed extends Error {
  override readonly name = "OutputClosed";
}

/**
 * Writes lines in one write (a page of a tail is one system call, not a thousand); when the
 * stream asks to wait, waits until they are out. A tail of a long log into a slow pipe must not
 * pile the whole log up in memory, and a closed pipe must end the command rather than leave it
 * waiting for a drain that never comes.
 */
export const writeLines = (out: Output, lines: ReadonlyArray<string>): Promise<void> =>
  new Promise((resolve, reject) => {
    if (lines.length === 0) return resolve();
    let outcome: { readonly error: Error | null | undefined } | undefined;
    let waiting = false;
    const settle = (): void => {
      if (outcome?.error) reject(new OutputClosed(outcome.error.message));
      else resolve();
    };
    const ready = out.write(`${lines.join("\n")}\n`, (error) => {
      outcome = { error };
      if (waiting) settle();
    });
    if (ready) resolve();
    else if (outcome !== undefined) settle();
    else waiting = true;
  });

export const writeLine = (out: Output, line: string): Promise<void> => writeLines(out, [line]);

/** Resolves when the operator interrupts; never, when nothing can interrupt. */
export const interrupted = (io: Io): Promise<void> =>
  new Promise((resolve) => {
    if (io.interrupt === undefined) return;
    if (io.interrupt.aborted) resolve();
    else io.interrupt.addEventListener("abort", () => resolve(), { once: true });
  });
