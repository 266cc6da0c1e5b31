import type { Position } from "@mebel/core";
import type { SqlQuery } from "./sql-client.js";

export interface StatisticsKeeper {
  /** Told the log's position after each append; analyzes in the background when due. */
  readonly grew: (position: Position) => void;
  /** Waits for an ANALYZE in flight. */
  readonly settle: () => Promise<void>;
}

/**
 * Re-analyzes a table each time the log grows by a fifth (and a thousand events), as autovacuum
 * would. A server's autovacuum gets there a minute late; PGlite, with no background workers,
 * never does. Without statistics the planner guesses a category holds a few hundred events and
 * sorts every remaining match for each page, so a replay slows down quadratically.
 */
export const keepStatistics = (
  client: SqlQuery,
  table: string,
  columns: ReadonlyArray<string>,
): StatisticsKeeper => {
  let due = 1_000n;
  let running: Promise<void> | undefined;
  return {
    grew: (position) => {
      if (position < due || running !== undefined) return;
      due = position + 1_000n + position / 5n;
      running = client
        .query(`ANALYZE ${table} (${columns.join(", ")})`)
        .then(
          () => {},
          // Statistics are an optimisation: a failed ANALYZE (not the owner, closing) is no error.
          () => {},
        )
        .finally(() => {
          running = undefined;
        });
    },
    settle: async () => {
      await running;
    },
  };
};
