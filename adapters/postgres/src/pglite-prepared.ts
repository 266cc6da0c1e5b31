import { type PGlite, parse, protocol } from "@electric-sql/pglite";

interface Statement {
  readonly name: string;
  /** The type of each parameter, as the engine inferred it, to serialise values as `query` does. */
  readonly parameterTypes: ReadonlyArray<number>;
}

const concat = (messages: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(messages.reduce((length, message) => length + message.length, 0));
  let at = 0;
  for (const message of messages) {
    out.set(message, at);
    at += message.length;
  }
  return out;
};

/**
 * Named prepared statements on PGlite, which its `query` does not offer: every `query` parses,
 * describes and plans its text again, in six trips into the engine. A statement prepared once is
 * then bound and run in one trip, on a plan the engine keeps, which for the append function's
 * small statements costs less than half as much. Only fixed texts belong here (the same rule as
 * on a server, see `QueryOptions.prepare`); each is prepared the first time it runs.
 *
 * The caller must hold the engine for itself: a statement here never runs inside a transaction,
 * nor may one open while it runs (see `pgliteClient`).
 */
export const pglitePreparedStatements = (db: PGlite) => {
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
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serialize = db.serializers[statement.parameterTypes[i] ?? 0];
      return serialize === undefined ? String(value) : serialize(value);
    });
    const { messages } = await db.execProtocol(
      concat([
        protocol.serialize.bind({ statement: statement.name, values }),
        protocol.serialize.describe({ type: "P" }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
    );
    return (parse.parseResults(messages, db.parsers)[0]?.rows ?? []) as Row[];
  };
};
