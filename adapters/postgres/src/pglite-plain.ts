import { type PGlite, protocol } from "@electric-sql/pglite";
import { serializeParams } from "./pglite-prepared.js";
import { decodeResponse, exchange, type Notification } from "./pglite-response.js";

/** As PGlite's `query` marks the errors it throws: with the statement that failed. */
const withQuery = (error: unknown, query: string, params: ReadonlyArray<unknown>): unknown =>
  error instanceof Error ? Object.assign(error, { query, params, queryOptions: undefined }) : error;

/**
 * A statement run as PGlite's `query` runs it (the unnamed statement: parsed, described, then
 * bound to values serialised by the types the engine inferred, and run, on a plan made for those
 * values), in two trips into the engine instead of its six, and one when there is nothing to
 * bind; the answer is read raw (pglite-response.ts), its NOTIFYs given to `notified`.
 *
 * The caller holds PGlite's query lock (`runExclusive`), and says whether a transaction is open
 * (then the data folder is synced at its end, not after each statement).
 */
export const pglitePlainStatements = (
  db: PGlite,
  notified: (notification: Notification) => void = () => {},
) => {
  const run = async (
    text: string,
    params: ReadonlyArray<unknown>,
    inTransaction: boolean,
  ): Promise<Array<Record<string, unknown>>> => {
    const bindAndRun = (values: Array<string | null>) => [
      protocol.serialize.bind({ values }),
      protocol.serialize.describe({ type: "P" }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
    ];
    const parsing = protocol.serialize.parse({ text });
    let answer: Uint8Array;
    if (params.length === 0) {
      answer = await exchange(db, [parsing, ...bindAndRun([])], !inTransaction);
    } else {
      let parameterTypes: ReadonlyArray<number>;
      try {
        ({ parameterTypes } = decodeResponse(
          await exchange(db, [parsing, protocol.serialize.describe({ type: "S" })], false),
          db.parsers,
        ));
      } catch (error) {
        // The engine skips everything after an error until a Sync.
        await exchange(db, [protocol.serialize.sync()], false);
        throw error;
      }
      answer = await exchange(
        db,
        bindAndRun(serializeParams(db, params, parameterTypes)),
        !inTransaction,
      );
    }
    const { rows, notifications } = decodeResponse(answer, db.parsers);
    for (const notification of notifications) queueMicrotask(() => notified(notification));
    return rows;
  };
  return async <Row>(
    text: string,
    params: ReadonlyArray<unknown>,
    inTransaction: boolean,
  ): Promise<Row[]> => {
    if (db.closed) throw new Error("PGlite is closed.");
    try {
      return (await run(text, params, inTransaction)) as Row[];
    } catch (error) {
      throw withQuery(error, text, params);
    }
  };
};
