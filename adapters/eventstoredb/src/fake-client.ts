import { Readable, Transform } from "node:stream";
import {
  type AppendExpectedRevision,
  type AppendResult,
  BACKWARDS,
  END,
  type EventData,
  type EventStoreDBClient,
  type Filter,
  type Position,
  START,
  type StreamMetadata,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from "@eventstore/db-client";

interface FakeRecord {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly revision: bigint;
  readonly position: Position;
}

const resolved = (record: FakeRecord) => ({
  event: { ...record, isJson: true, created: new Date(0) },
});

/**
 * Just enough of EventStoreDBClient, as its types and documentation describe it, to test the
 * adapter's own logic without a server: forward reads include their start position, backward
 * reads too, a missing stream fails during iteration, and a repeated append of the same ids is
 * acknowledged without a position. It is our reading of the server, not the server: the contract
 * suite against a real one is the judge.
 */
export const createFakeClient = () => {
  const all: FakeRecord[] = [];
  const streams = new Map<string, FakeRecord[]>();
  const metadataOf = new Map<string, StreamMetadata>();
  const appendFailures: unknown[] = [];
  const appendCalls: Array<{ readonly streamName: string; readonly ids: string[] }> = [];
  const live = new Set<(record: FakeRecord) => void>();
  let metadataFailure: unknown;
  let cancelled = 0;
  let nextPosition = 100n;

  const write = (
    streamId: string,
    type: string,
    data: unknown = {},
    id?: string,
    metadata: unknown = {},
  ): FakeRecord => {
    const stream = streams.get(streamId) ?? [];
    const record: FakeRecord = {
      streamId,
      id: id ?? `00000000-0000-4000-8000-${nextPosition.toString().padStart(12, "0")}`,
      type,
      data,
      metadata,
      revision: BigInt(stream.length),
      position: { commit: nextPosition, prepare: nextPosition },
    };
    nextPosition += 100n;
    stream.push(record);
    streams.set(streamId, stream);
    all.push(record);
    for (const deliver of live) deliver(record);
    return record;
  };

  const streaming = <Item>(produce: () => Iterable<Item>) =>
    Object.assign(
      Readable.from(
        (function* () {
          yield* produce();
        })(),
        { objectMode: true },
      ),
      {
        cancel: async () => {
          cancelled += 1;
        },
      },
    );

  const matches = (expected: AppendExpectedRevision, current: number): boolean =>
    expected === "any" ||
    (expected === "no_stream" && current === -1) ||
    (expected === "stream_exists" && current >= 0) ||
    (typeof expected === "bigint" && expected === BigInt(current));

  const client = {
    appendToStream: async (
      streamName: string,
      events: EventData | EventData[],
      options: { expectedRevision?: AppendExpectedRevision } = {},
    ): Promise<AppendResult> => {
      const list = Array.isArray(events) ? events : [events];
      appendCalls.push({ streamName, ids: list.map((e) => e.id) });
      const failure = appendFailures.shift();
      if (failure !== undefined) throw failure;
      const stream = streams.get(streamName) ?? [];
      const already = list.map((e) => stream.find((r) => r.id === e.id));
      const last = already.at(-1);
      if (already.every((r) => r !== undefined) && last !== undefined) {
        return { success: true, nextExpectedRevision: last.revision };
      }
      const expected = options.expectedRevision ?? "any";
      const current = stream.length - 1;
      if (!matches(expected, current)) {
        throw new WrongExpectedVersionError(undefined, {
          streamName,
          expected,
          current: current === -1 ? "no_stream" : BigInt(current),
        });
      }
      const written = list.map((e) => write(streamName, e.type, e.data, e.id, e.metadata));
      const end = written.at(-1) as FakeRecord;
      return { success: true, nextExpectedRevision: end.revision, position: end.position };
    },

    readStream: (
      streamName: string,
      options: { fromRevision?: bigint | "start" | "end"; direction?: string; maxCount?: number },
    ) =>
      streaming(() => {
        const stream = streams.get(streamName);
        if (stream === undefined) throw new StreamNotFoundError(undefined, streamName);
        const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
        const from = options.fromRevision ?? START;
        if (options.direction === BACKWARDS) {
          const top = from === END || from === START ? stream.length - 1 : Number(from);
          return stream
            .slice(Math.max(0, top - max + 1), top + 1)
            .reverse()
            .map(resolved);
        }
        const first = from === START ? 0 : from === END ? stream.length : Number(from);
        return stream.slice(first, first + max).map(resolved);
      }),

    readAll: (options: {
      fromPosition?: Position | "start" | "end";
      direction?: string;
      maxCount?: number;
    }) =>
      streaming(() => {
        const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
        const from = options.fromPosition ?? START;
        const at = (r: FakeRecord) => r.position.commit;
        if (options.direction === BACKWARDS) {
          const older =
            from === END
              ? all
              : all.filter((r) => typeof from === "object" && at(r) <= from.commit);
          return older.slice(-max).reverse().map(resolved);
        }
        const newer = typeof from === "object" ? all.filter((r) => at(r) >= from.commit) : all;
        return newer.slice(0, max).map(resolved);
      }),

    /**
     * Like the client: a Transform fed with server responses, that calls `checkpointReached` and
     * emits "caughtUp" while transforming them, and starts strictly after `fromPosition`.
     */
    subscribeToAll: (options: { fromPosition?: Position | "start" | "end"; filter?: Filter }) => {
      const { filter } = options;
      const from = options.fromPosition;
      const passes = (record: FakeRecord): boolean => {
        if (filter === undefined) return true;
        if ("prefixes" in filter) return filter.prefixes.some((p) => record.streamId.startsWith(p));
        return new RegExp(filter.regex).test(record.streamId);
      };
      const every =
        filter === undefined ? 0 : filter.checkpointInterval * (filter.maxSearchWindow ?? 32);
      type Response = { event: FakeRecord } | { checkpoint: Position } | { caughtUp: true };
      const subscription = new Transform({
        objectMode: true,
        transform(response: Response, _encoding, next) {
          void (async () => {
            if ("checkpoint" in response)
              await filter?.checkpointReached?.(subscription as never, response.checkpoint);
            if ("caughtUp" in response) subscription.emit("caughtUp");
            next(null, "event" in response ? resolved(response.event) : undefined);
          })();
        },
      });
      let scanned = 0;
      const feed = (record: FakeRecord): void => {
        scanned += 1;
        if (passes(record)) subscription.write({ event: record });
        else if (every > 0 && scanned % every === 0)
          subscription.write({ checkpoint: record.position });
      };
      setImmediate(() => {
        const start = typeof from === "object" ? from.commit : -1n;
        for (const record of all) if (record.position.commit > start) feed(record);
        subscription.write({ caughtUp: true });
        live.add(feed);
      });
      const unsubscribe = async () => {
        live.delete(feed);
      };
      return Object.assign(subscription, { unsubscribe });
    },

    getStreamMetadata: async (streamName: string) => {
      const found = metadataOf.get(streamName);
      return found === undefined ? { streamName } : { streamName, metadata: found };
    },

    setStreamMetadata: async (streamName: string, value: StreamMetadata) => {
      if (metadataFailure !== undefined) throw metadataFailure;
      metadataOf.set(streamName, value);
      write(`$$${streamName}`, "$metadata", value);
      return { success: true, nextExpectedRevision: 0n };
    },
  };

  return {
    client: client as unknown as EventStoreDBClient,
    /** An event written behind the adapter's back (a system event, another tool's). */
    write,
    streamMetadata: (streamName: string) => metadataOf.get(streamName),
    failNextAppend: (error: unknown) => appendFailures.push(error),
    failMetadataWrites: (error: unknown) => {
      metadataFailure = error;
    },
    appendCalls: () => appendCalls,
    cancelledReads: () => cancelled,
    packed: (record: FakeRecord) => (record.position.commit << 64n) | record.position.prepare,
  };
};
