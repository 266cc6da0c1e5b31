import { type PGlite, protocol } from "@electric-sql/pglite";

/** How PGlite turns a column's text into a value, by the column's type (`PGlite.parsers`). */
type Parsers = Readonly<Record<number, ((text: string, typeId: number) => unknown) | undefined>>;

export interface Notification {
  readonly channel: string;
  readonly payload: string;
}

export interface DecodedResponse {
  /** The first result set's rows, as PGlite's `parseResults` would give them. */
  readonly rows: Array<Record<string, unknown>>;
  readonly notifications: ReadonlyArray<Notification>;
  /** The statement's parameter types, when the response describes a statement. */
  readonly parameterTypes: ReadonlyArray<number>;
}

const ROW_DESCRIPTION = 0x54; // T
const DATA_ROW = 0x44; // D
const COMMAND_COMPLETE = 0x43; // C
const ERROR = 0x45; // E
const NOTIFICATION = 0x41; // A
const PARAMETER_DESCRIPTION = 0x74; // t

/** The first error of a response, as PGlite's own parser makes it, so callers see the same error. */
const errorOf = (bytes: Uint8Array): Error => {
  let first: Error | undefined;
  new protocol.Parser().parse(bytes, (message) => {
    if (first === undefined && message instanceof protocol.messages.DatabaseError) first = message;
  });
  return first ?? new Error("PGlite answered with an error it could not read.");
};

/**
 * A backend response read in one pass: PGlite's parser copies every field into an ArrayBuffer of
 * its own before decoding it, and builds an array of messages, then each row from entries, which
 * for rows of several text columns costs more than running the statement. Fields are decoded
 * straight from the response, then parsed by the same type parsers. Throws the response's first
 * error, the same `DatabaseError` (with its `code`) PGlite's `execProtocol` throws.
 */
export const decodeResponse = (bytes: Uint8Array, parsers: Parsers): DecodedResponse => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows: Array<Record<string, unknown>> = [];
  const notifications: Notification[] = [];
  let parameterTypes: number[] = [];
  let names: string[] = [];
  let types: number[] = [];
  let done = false;
  let at = 0;
  while (at + 5 <= bytes.length) {
    const code = bytes[at];
    const end = at + 1 + view.getUint32(at + 1);
    let p = at + 5;
    if (code === ERROR) throw errorOf(bytes);
    if (code === ROW_DESCRIPTION && !done) {
      const count = view.getInt16(p);
      p += 2;
      names = new Array(count);
      types = new Array(count);
      for (let i = 0; i < count; i += 1) {
        const nameEnd = bytes.indexOf(0, p);
        names[i] = text.toString("utf8", p, nameEnd);
        types[i] = view.getInt32(nameEnd + 7);
        p = nameEnd + 19;
      }
    } else if (code === DATA_ROW && !done) {
      const count = view.getInt16(p);
      p += 2;
      const row: Record<string, unknown> = {};
      for (let i = 0; i < count; i += 1) {
        const length = view.getInt32(p);
        p += 4;
        let value: unknown = null;
        if (length !== -1) {
          const field = text.toString("utf8", p, p + length);
          p += length;
          const type = types[i] ?? 0;
          const parse = parsers[type];
          value = parse === undefined ? field : parse(field, type);
        }
        const name = names[i] ?? "";
        // As Object.fromEntries would: an own property, whatever the column is called.
        if (name === "__proto__") {
          Object.defineProperty(row, name, { value, enumerable: true, writable: true });
        } else row[name] = value;
      }
      rows.push(row);
    } else if (code === COMMAND_COMPLETE) {
      done = true;
    } else if (code === PARAMETER_DESCRIPTION) {
      parameterTypes = Array.from({ length: view.getInt16(p) }, (_, i) =>
        view.getInt32(p + 2 + 4 * i),
      );
    } else if (code === NOTIFICATION) {
      const channelEnd = bytes.indexOf(0, p + 4);
      const payloadEnd = bytes.indexOf(0, channelEnd + 1);
      notifications.push({
        channel: text.toString("utf8", p + 4, channelEnd),
        payload: text.toString("utf8", channelEnd + 1, payloadEnd),
      });
    }
    at = end;
  }
  return { rows, notifications, parameterTypes };
};

export const concat = (messages: ReadonlyArray<Uint8Array>): Uint8Array => {
  if (messages.length === 1) return messages[0] as Uint8Array;
  const out = new Uint8Array(messages.reduce((length, message) => length + message.length, 0));
  let at = 0;
  for (const message of messages) {
    out.set(message, at);
    at += message.length;
  }
  return out;
};

/**
 * Runs protocol messages and reads the answer raw. The caller holds PGlite's query lock (its
 * `runExclusive`); `syncToFs` as PGlite's `query` does it: after a statement outside a transaction.
 */
export const exchange = async (
  db: PGlite,
  messages: ReadonlyArray<Uint8Array>,
  syncToFs: boolean,
): Promise<Uint8Array> => {
  const chunks: Uint8Array[] = [];
  await db.execProtocolRawStream(concat(messages), {
    syncToFs,
    // A view of the engine's memory, valid only for the call.
    onRawData: (data) => chunks.push(data.slice()),
  });
  return concat(chunks);
};
