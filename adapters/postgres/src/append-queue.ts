import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  WrongExpectedRevision,
} from "@mebel/core";
import type { Either } from "fp-ts/lib/Either.js";
import * as E from "fp-ts/lib/Either.js";
import { encodeBatch, expectedArguments, wrongExpectedRevision } from "./append-batch.js";
import type { SqlQuery } from "./sql-client.js";

interface Pending {
  readonly streamName: string;
  readonly expected: ExpectedRevision;
  /** This append as one element of the `append_batches` argument. */
  readonly json: string;
  readonly resolve: (result: Either<WrongExpectedRevision, AppendResult>) => void;
  readonly reject: (error: unknown) => void;
}

interface BatchRow {
  readonly ordinal: number;
  readonly outcome: "ok" | "conflict";
  /** Text: a bigint column, read exactly. */
  readonly stream_revision: string;
  readonly log_position: string | null;
}

export interface AppendQueueOptions {
  /** A statement stops taking queued appends once its argument reaches this many characters. */
  readonly maxStatementChars?: number;
  /** Told the log's position after each commit. */
  readonly onAppended?: (position: bigint) => void;
}

/**
 * Appends go out one statement at a time; the appends that arrive while one is in flight wait and
 * then go out together in the next, sharing its commit. Appends serialise on the log head anyway
 * (that is what keeps positions gap-free), so without this every writer would wait for a WAL
 * flush of its own; with it, N concurrent writers cost about one flush per round. A lone writer
 * waits for nothing: an append on an idle queue goes out at once.
 */
export const createAppendQueue = (
  client: SqlQuery,
  quotedSchema: string,
  options: AppendQueueOptions = {},
): EventStore["append"] => {
  const maxChars = options.maxStatementChars ?? 4 * 1_048_576;
  let waiting: Pending[] = [];
  let flushing = false;

  /** Answers the append; returns the log position it was given, if any. */
  const settle = (pending: Pending, row: BatchRow | undefined): bigint | undefined => {
    if (row === undefined) {
      pending.reject(new Error(`append_batches returned no row for ${pending.streamName}.`));
      return undefined;
    }
    if (row.outcome === "conflict" || row.log_position === null) {
      pending.resolve(
        E.left(
          wrongExpectedRevision(pending.streamName, pending.expected, BigInt(row.stream_revision)),
        ),
      );
      return undefined;
    }
    const position = BigInt(row.log_position);
    pending.resolve(E.right({ nextExpectedRevision: BigInt(row.stream_revision), position }));
    return position;
  };

  const send = async (batch: ReadonlyArray<Pending>): Promise<void> => {
    const rows = await client.query<BatchRow>(
      `SELECT ordinal, outcome, stream_revision::text AS stream_revision,
              log_position::text AS log_position
         FROM ${quotedSchema}.append_batches($1::text::jsonb)`,
      [`[${batch.map((pending) => pending.json).join(",")}]`],
      { prepare: true },
    );
    const byOrdinal = new Map(rows.map((row) => [row.ordinal, row]));
    let last: bigint | undefined;
    batch.forEach((pending, index) => {
      const position = settle(pending, byOrdinal.get(index + 1));
      if (position !== undefined && (last === undefined || position > last)) last = position;
    });
    if (last !== undefined) options.onAppended?.(last);
  };

  const flush = async (batch: ReadonlyArray<Pending>): Promise<void> => {
    try {
      await send(batch);
    } catch (error) {
      // The statement rolled back as a whole. One bad append (say, text jsonb refuses) must not
      // fail the others, so each goes again alone; one whose commit was lost to a broken
      // connection is recognised by its event ids.
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const pending of batch) {
        await send([pending]).catch(pending.reject);
      }
    }
  };

  const pump = (): void => {
    if (flushing || waiting.length === 0) return;
    let chars = 0;
    let taken = 0;
    while (taken < waiting.length && (taken === 0 || chars < maxChars)) {
      chars += (waiting[taken] as Pending).json.length;
      taken += 1;
    }
    const batch = waiting.slice(0, taken);
    waiting = waiting.slice(taken);
    flushing = true;
    void flush(batch).finally(() => {
      flushing = false;
      pump();
    });
  };

  return (streamName: string, events: ReadonlyArray<EventToAppend>, expected: ExpectedRevision) =>
    new Promise<Either<WrongExpectedRevision, AppendResult>>((resolve, reject) => {
      const [kind, revision] = expectedArguments(expected);
      const json = `{"stream":${JSON.stringify(streamName)},"kind":"${kind}","revision":${revision ?? "null"},"events":${encodeBatch(events)}}`;
      waiting.push({ streamName, expected, json, resolve, reject });
      pump();
    });
};
