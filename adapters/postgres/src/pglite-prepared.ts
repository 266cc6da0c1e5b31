import { type PGlite, parse, protocol } from "@electric-sql/pglite";
import { concat, decodeResponse, exchange, type Notification } from "./pglite-response.js";

interface Statement {
  readonly name: string;
  /** The type of each parameter, as the engine inferred it, to serialise values as `query` does. */
  readonly parameterTypes: ReadonlyArray<number>;
}

/** Parameters serialised as PGlite's `query` does: by the type the engine inferred for each. */
export const serializeParams = (
  db: PGlite,
  params: ReadonlyArray<unknown>,
  parameterTypes: ReadonlyArray<number>,
): Array<string | null> =>
  params.map((value, i) => {
    if (value === null || value === undefined) return null;
    const serialize = db.serializers[parameterTypes[i] ?? 0];
    return serialize === undefined ? String(value) : serialize(value);
  });

/**
 * Named prepared statements on PGlite, which its `query` does not offer: every `query` parses,
 * describes and plans its text again, in six trips into the engine. A statement prepared once is
 * then bound and run in one trip, on a plan the engine keeps, which for the append function's
 * small statements costs less than half as much. Only fixed texts belong here (the same rule as
 * on a server, see `QueryOptions.prepare`); each is prepared the first time it runs.
 *
 * The caller must hold the engine for itself: a statement here never runs inside a transaction,
 * nor may one open while it runs (see `pgliteClient`). The answer is read raw (pglite-response.ts),
 * past PGlite's own parser, so the NOTIFYs a statement's commit delivers go to `notified`.
 */
export const pglitePreparedStatements = (
  db: PGlite,
  notified: (notification: Notification) => void = () => {},
) => {
  const statements = new Map<string, Statement>();

  const prepare = async (text: string): Promise<Statement> => {
    const known = statements.get(text);
    if (known !== undefined) return known;
    const name = `mebel_${statements.size + 1}`;
    const { messages } = await db.execProtocol(
      concat([
        protocol.serialize.parse({ name, text }),
        protocol.serialize.describe({ type: "S", name }),
        protocol.serialize.sync(),
      ]),
    );
    const statement = { name, parameterTypes: parse.parseDescribeStatementResults(messages) };
    statements.set(text, statement);
    return statement;
  };

  return async <Row>(text: string, params: ReadonlyArray<unknown>): Promise<Row[]> => {
    // The engine is gone after `close`, and fails with an error that does not say so.
    if (db.closed) throw new Error("PGlite is closed.");
    const statement = await prepare(text);
    const values = serializeParams(db, params, statement.parameterTypes);
    const answer = await exchange(
      db,
      [
        protocol.serialize.bind({ statement: statement.name, values }),
        protocol.serialize.describe({ type: "P" }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ],
      true,
    );
    const { rows, notifications } = decodeResponse(answer, db.parsers);
    // As PGlite calls its listeners: once the code that ran the statement has gone on.
    for (const notification of notifications) queueMicrotask(() => notified(notification));
    return rows as Row[];
  };
};
