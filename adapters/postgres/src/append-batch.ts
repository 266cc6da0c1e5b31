import {
  type EventToAppend,
  type ExpectedRevision,
  MAX_APPEND_BYTES,
  type WrongExpectedRevision,
} from "@mebel/core";

const toJson = (value: unknown, what: string): string => {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`Event ${what} must be JSON, got ${typeof value}.`);
  return json;
};

/**
 * The events as one JSON array for the append function, each payload serialised once; throws when
 * the append outweighs MAX_APPEND_BYTES, measured as every adapter measures it.
 */
export const encodeBatch = (events: ReadonlyArray<EventToAppend>): string => {
  if (events.length === 0) throw new TypeError("An append needs at least one event.");
  let bytes = 0;
  const parts = events.map((event) => {
    const data = toJson(event.data, "data");
    const metadata = toJson(event.metadata, "metadata");
    bytes += Buffer.byteLength(data) + Buffer.byteLength(metadata);
    return `{"eventId":${JSON.stringify(event.eventId)},"type":${JSON.stringify(event.type)},"data":${data},"metadata":${metadata}}`;
  });
  if (bytes > MAX_APPEND_BYTES) {
    throw new RangeError(`Append of ${bytes} bytes exceeds the limit of ${MAX_APPEND_BYTES}.`);
  }
  return `[${parts.join(",")}]`;
};

/** The append function's expected-revision arguments: a kind, and the revision when exact. */
export const expectedArguments = (expected: ExpectedRevision): [string, string | null] =>
  typeof expected === "bigint" ? ["exact", expected.toString()] : [expected, null];

export const wrongExpectedRevision = (
  streamName: string,
  expected: ExpectedRevision,
  current: bigint,
): WrongExpectedRevision => {
  const actual = current === -1n ? "no_stream" : current;
  return {
    code: "WRONG_EXPECTED_REVISION",
    message: `Stream ${streamName} is at ${actual === "no_stream" ? "no stream" : `revision ${actual}`}, expected ${expected}.`,
    details: { streamName, expected, actual },
  };
};
