import { Readable, Transform } from "node:stream";
import {
  type AppendExpectedRevision,
  type AppendResult,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  type EventData,
  type EventStoreDBClient,
  type Filter,
  MaxAppendSizeExceededError,
  NotLeaderError,
  type Position,
  START,
  StreamDeletedError,
  type StreamMetadata,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from "@eventstore/db-client";

/**
 * A stand-in for `EventStoreDBClient` 6.2.1 talking to a 23.x/24.x server, written from the
 * client's compiled code and the server's source. What it reproduces, and where it stops:
 *
 * - Payloads cross as JSON text, as the client sends them: undefined fields vanish, dates become
 *   strings, a falsy metadata is not sent and reads back as missing, nothing is kept by reference.
 * - Event ids are Guids on the server: any case is accepted, lower case comes back. The nil id and
 *   an empty type are refused as the server refuses them, as an `UnknownError`.
 * - Idempotency follows the server's commit check: with an exact revision or `no_stream`, a repeat
 *   is recognised only when its ids sit right after the expected revision, all of them; with `any`
 *   (and `stream_exists`, which becomes `any` once the stream exists) only through a bounded cache
 *   of recent ids that `restart()` empties. A partial or misplaced repeat is WrongExpectedVersion.
 *   A recognised repeat is acknowledged without a position, as the server does.
 * - An append's size is counted as the batch call of current servers counts it (per event: data,
 *   metadata and twice the type, `Event.SizeOnDisk`) against `maxAppendSize` (1 MiB unless the
 *   server is configured lower), refused with `MaxAppendSizeExceededError`. The classic call of
 *   older servers counted data alone, and KurrentDB adds a per-event limit the 6.2.1 client cannot
 *   name: neither is reproduced.
 * - Events of one append share their commit position and have growing prepare positions; reads
 *   of `$all` compare both. Filtered subscriptions start strictly after `fromPosition` and send
 *   checkpoints as `(commit, 0)`, as live servers do; while catching up a server may send the
 *   position of the last event it scanned instead, which the adapter takes the same way.
 * - Soft-deleted streams read as not found and may be written again (revisions go on); tombstoned
 *   streams raise `StreamDeletedError` on read and append and leave a `$streamDeleted` event.
 * - Faults are raised as the client raises them, per append path (`batchAppend`, the default for
 *   servers from 21.10, or the classic call used with per-call credentials): see `ServerFault`.
 *
 * Not reproduced: ACLs, stream metadata (kept and written as `$metadata` events, but neither
 * `$maxCount` nor `$maxAge` trims reads; only a soft delete's truncation hides events), scavenging,
 * links and projections, deadlines (no call ever times out by itself), the batch path's shared
 * promise table (one failure rejecting other appends in flight), and the gap between a write and
 * its visibility on followers. The contract suite against a real server is the judge.
 */

/** A fault of the server or the network, as the client would report it. */
export type ServerFault =
  /** The connection dropped: `UnavailableError` on every path. */
  | "connection-lost"
  /**
   * No connection at all: the raw gRPC error (code 14, no `type`) that the client's check of the
   * server's features, made before every append, passes on unconverted.
   */
  | "refused"
  /** A follower that knows the leader: `NotLeaderError` (the client reconnects to the leader). */
  | "not-leader"
  /**
   * No leader known, mid-election. The classic call answers `UnavailableError`; the batch call
   * answers a status whose details the client cannot unpack: `UnknownError("Could not recognize
   * No leader info available in response")`.
   */
  | "no-leader"
  /** The server is too busy or not ready yet: as `no-leader`, with its own message. */
  | "too-busy"
  | "not-ready"
  /** A commit timeout: `DeadlineExceededError`; the write may or may not have happened. */
  | "timeout"
  /** The server cancelled the call (shutting down, subscription dropped): `CancelledError`. */
  | "cancelled";

export interface FakeServerOptions {
  /** Whether appends go over the batch call (servers from 21.10): the client's default. */
  readonly batchAppend?: boolean;
  /** The server's `--max-append-size`: 1 MiB unless configured lower. */
  readonly maxAppendSize?: number;
  /** How many recent event ids the server remembers for idempotent `any` appends. */
  readonly idCacheSize?: number;
}

type AppendPath = "batch" | "classic";

interface FakeRecord {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  /** Empty when the writer sent none. */
  readonly metadata: Uint8Array;
  readonly revision: bigint;
  readonly position: Position;
}

const DEFAULT_MAX_APPEND_SIZE = 1_048_576;
/** EventNumber.DeletedStream: the revision of a tombstone. */
const TOMBSTONE_REVISION = (1n << 63n) - 1n;
/** Room between log positions: events have sizes, and prepares follow one another. */
const STEP = 100n;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_GUID = "00000000-0000-0000-0000-000000000000";

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** What a gRPC ServiceError carries that the client's error classes read. */
const serviceError = (code: number, details: string, metadata: Record<string, string> = {}) =>
  ({
    code,
    details,
    message: `${code} ${details}`,
    metadata: { getMap: () => metadata },
  }) as never;

const GRPC_CANCELLED = 1;
const GRPC_UNKNOWN = 2;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

const batchMessages: Partial<Record<ServerFault, string>> = {
  "no-leader": "No leader info available in response",
  "too-busy": "Server Is Busy",
  "not-ready": "Server Is Not Ready",
};

/** The error the client raises for this fault on this path. */
export const clientErrorFor = (fault: ServerFault, path: AppendPath = "classic"): Error => {
  const batchMessage = batchMessages[fault];
  if (path === "batch" && batchMessage !== undefined) {
    return new UnknownError(undefined, `Could not recognize ${batchMessage}`);
  }
  switch (fault) {
    case "refused":
      return Object.assign(
        new Error("14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED"),
        serviceError(GRPC_UNAVAILABLE, "No connection established"),
      );
    case "not-leader":
      return new NotLeaderError(
        serviceError(GRPC_UNAVAILABLE, "Leader info available", {
          exception: "not-leader",
          "leader-endpoint-host": "127.0.0.1",
          "leader-endpoint-port": "2114",
        }),
      );
    case "timeout":
      return new DeadlineExceededError(serviceError(GRPC_DEADLINE_EXCEEDED, "Deadline Exceeded"));
    case "cancelled":
      return new CancelledError(serviceError(GRPC_CANCELLED, "Cancelled on server"));
    default:
      return new UnavailableError(serviceError(GRPC_UNAVAILABLE, `UNAVAILABLE: ${fault}`));
  }
};

/** How the server refuses a request it cannot parse: the client knows no better than Unknown. */
const refusal = (path: AppendPath, serverMessage: string): Error =>
  path === "batch"
    ? new UnknownError(undefined, `Could not recognize ${serverMessage}`)
    : new UnknownError(serviceError(GRPC_UNKNOWN, "Exception was thrown by handler."));

const before = (a: Position, b: Position): boolean =>
  a.commit < b.commit || (a.commit === b.commit && a.prepare < b.prepare);

/** As the client parses a recorded event: JSON data falls back to text, metadata to bytes. */
const resolved = (record: FakeRecord) => {
  const text = fromUtf8.decode(record.data);
  let data: unknown = record.data;
  if (record.isJson) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  let metadata: unknown;
  if (record.metadata.length > 0) {
    try {
      metadata = JSON.parse(fromUtf8.decode(record.metadata));
    } catch {
      metadata = record.metadata;
    }
  }
  return {
    event: {
      streamId: record.streamId,
      id: record.id,
      revision: record.revision,
      type: record.type,
      data,
      metadata,
      isJson: record.isJson,
      created: new Date(0),
      position: record.position,
    },
  };
};

/** As the client serialises one event: JSON.stringify at call time, metadata only when truthy. */
const serialise = (event: {
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: unknown;
  readonly contentType?: string;
}): { data: Uint8Array; metadata: Uint8Array; isJson: boolean } => {
  const isJson = event.contentType !== "application/octet-stream";
  const toBytes = (value: unknown): Uint8Array => {
    if (value instanceof Uint8Array) return value;
    const text = JSON.stringify(value);
    // What Buffer.from(undefined) throws in the client.
    if (text === undefined) throw new TypeError("The first argument must be of type string.");
    return utf8.encode(text);
  };
  return {
    isJson,
    data: toBytes(event.data),
    metadata: event.metadata ? toBytes(event.metadata) : new Uint8Array(0),
  };
};

export const createFakeClient = (options: FakeServerOptions = {}) => {
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  const idCacheSize = options.idCacheSize ?? 10_000;
  const defaultPath: AppendPath = options.batchAppend === false ? "classic" : "batch";
  const all: FakeRecord[] = [];
  const streams = new Map<string, FakeRecord[]>();
  const metadataOf = new Map<string, StreamMetadata>();
  /** Revision below which a soft-deleted stream hides its events. */
  const truncatedBefore = new Map<string, bigint>();
  const tombstoned = new Set<string>();
  /** The server's cache of committed event ids, oldest first. */
  const recentIds = new Map<string, { readonly streamId: string; readonly revision: bigint }>();
  const appendFaults: unknown[] = [];
  const readFaults: unknown[] = [];
  const subscribeFaults: unknown[] = [];
  const appendCalls: Array<{
    readonly streamName: string;
    readonly ids: string[];
    readonly path: AppendPath;
  }> = [];
  const live = new Set<(record: FakeRecord) => void>();
  const subscriptions = new Set<Transform>();
  let metadataFailure: unknown;
  let cancelled = 0;
  let nextLogPosition = 100n;

  const asError = (fault: unknown, path: AppendPath = "classic"): unknown =>
    typeof fault === "string" ? clientErrorFor(fault as ServerFault, path) : fault;

  const remember = (record: FakeRecord): void => {
    recentIds.delete(record.id);
    recentIds.set(record.id, { streamId: record.streamId, revision: record.revision });
    for (const oldest of recentIds.keys()) {
      if (recentIds.size <= idCacheSize) break;
      recentIds.delete(oldest);
    }
  };

  /** One append's events: one commit position, prepare positions one after another. */
  const commit = (
    streamId: string,
    events: ReadonlyArray<{ id: string; type: string } & ReturnType<typeof serialise>>,
    revisionOf?: (index: number, stream: FakeRecord[]) => bigint,
  ): FakeRecord[] => {
    const stream = streams.get(streamId) ?? [];
    const first = nextLogPosition;
    const last = stream.at(-1)?.revision ?? -1n;
    const written = events.map((e, i): FakeRecord => {
      const record: FakeRecord = {
        streamId,
        id: e.id.toLowerCase(),
        type: e.type,
        isJson: e.isJson,
        data: e.data,
        metadata: e.metadata,
        revision: revisionOf?.(i, stream) ?? last + 1n + BigInt(i),
        position: { commit: first, prepare: first + BigInt(i) * STEP },
      };
      stream.push(record);
      all.push(record);
      remember(record);
      return record;
    });
    nextLogPosition = first + BigInt(events.length) * STEP;
    streams.set(streamId, stream);
    for (const record of written) for (const deliver of live) deliver(record);
    return written;
  };

  let generatedIds = 0;
  const write = (
    streamId: string,
    type: string,
    data: unknown = {},
    id?: string,
    metadata?: unknown,
  ): FakeRecord => {
    generatedIds += 1;
    const [record] = commit(streamId, [
      {
        id: id ?? `00000000-0000-4000-8000-${generatedIds.toString().padStart(12, "0")}`,
        type,
        ...serialise({ type, data, metadata }),
      },
    ]);
    return record as FakeRecord;
  };

  const streaming = <Item>(produce: () => Iterable<Item>) =>
    Object.assign(
      Readable.from(
        (function* () {
          const fault = readFaults.shift();
          if (fault !== undefined) throw asError(fault);
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

  const wrongVersion = (
    streamName: string,
    expected: AppendExpectedRevision,
    current: bigint,
  ): WrongExpectedVersionError =>
    new WrongExpectedVersionError(undefined, {
      streamName,
      expected,
      current: current < 0n ? "no_stream" : current,
    });

  type Decision =
    | { readonly kind: "write" }
    | { readonly kind: "idempotent"; readonly last: bigint }
    | { readonly kind: "wrong" };

  /** The server's commit check (IndexWriter.CheckCommit), for a stream that is not tombstoned. */
  const checkCommit = (
    streamName: string,
    ids: ReadonlyArray<string>,
    requested: AppendExpectedRevision,
  ): Decision => {
    const stream = streams.get(streamName) ?? [];
    const current = stream.at(-1)?.revision ?? -1n;
    let expected = requested;
    if (expected === "stream_exists") {
      if (current < 0n) return { kind: "wrong" };
      expected = "any";
    }
    // A soft-deleted stream is written again as if new, once, its revisions going on.
    const hiddenUpTo = truncatedBefore.get(streamName);
    if (expected === "no_stream" && hiddenUpTo !== undefined && current < hiddenUpTo) {
      return { kind: "write" };
    }
    if (expected === "any") {
      const hits = ids.map((id) => recentIds.get(id));
      const ours = (hit: (typeof hits)[number]) => hit !== undefined && hit.streamId === streamName;
      if (!ours(hits[0])) return { kind: "write" };
      if (!hits.every(ours)) return { kind: "wrong" };
      return { kind: "idempotent", last: hits.at(-1)?.revision as bigint };
    }
    const after = expected === "no_stream" ? -1n : expected;
    if (after < current) {
      const byRevision = new Map(stream.map((r) => [r.revision, r.id]));
      const inPlace = ids.every((id, i) => byRevision.get(after + 1n + BigInt(i)) === id);
      return inPlace ? { kind: "idempotent", last: after + BigInt(ids.length) } : { kind: "wrong" };
    }
    return after > current ? { kind: "wrong" } : { kind: "write" };
  };

  const visibleRecords = (streamName: string): FakeRecord[] => {
    if (tombstoned.has(streamName)) throw StreamDeletedError.fromStreamName(streamName);
    const from = truncatedBefore.get(streamName) ?? 0n;
    const stream = (streams.get(streamName) ?? []).filter((r) => r.revision >= from);
    if (stream.length === 0) throw new StreamNotFoundError(undefined, streamName);
    return stream;
  };

  const client = {
    appendToStream: async (
      streamName: string,
      events: EventData | EventData[],
      appendOptions: { expectedRevision?: AppendExpectedRevision; credentials?: unknown } = {},
    ): Promise<AppendResult> => {
      const list = Array.isArray(events) ? events : [events];
      const path: AppendPath = appendOptions.credentials === undefined ? defaultPath : "classic";
      // Serialised at the call, as the client does: later changes to the objects do not count.
      const sent = list.map((e) => ({ id: e.id, type: e.type, ...serialise(e) }));
      appendCalls.push({ streamName, ids: list.map((e) => e.id), path });
      const fault = appendFaults.shift();
      if (fault !== undefined) throw asError(fault, path);
      for (const e of sent) {
        if (!GUID.test(e.id)) throw refusal(path, "Unrecognized Guid format.");
        if (e.id === NIL_GUID) throw refusal(path, "Empty eventId provided.");
        if (e.type === "") throw refusal(path, "eventType should be non-empty.");
      }
      const size = sent.reduce(
        (sum, e) => sum + e.data.length + e.metadata.length + 2 * e.type.length,
        0,
      );
      if (size > maxAppendSize) throw MaxAppendSizeExceededError.fromMaxAppendSize(maxAppendSize);
      if (tombstoned.has(streamName)) throw StreamDeletedError.fromStreamName(streamName);
      const expected = appendOptions.expectedRevision ?? "any";
      const ids = sent.map((e) => e.id.toLowerCase());
      const decision = checkCommit(streamName, ids, expected);
      const current = streams.get(streamName)?.at(-1)?.revision ?? -1n;
      if (decision.kind === "wrong") throw wrongVersion(streamName, expected, current);
      if (decision.kind === "idempotent") {
        return { success: true, nextExpectedRevision: decision.last };
      }
      const end = commit(streamName, sent).at(-1) as FakeRecord;
      return { success: true, nextExpectedRevision: end.revision, position: end.position };
    },

    readStream: (
      streamName: string,
      readOptions: {
        fromRevision?: bigint | "start" | "end";
        direction?: string;
        maxCount?: number | bigint;
      },
    ) =>
      streaming(() => {
        const stream = visibleRecords(streamName);
        const max = Number(readOptions.maxCount ?? Number.MAX_SAFE_INTEGER);
        const from = readOptions.fromRevision ?? START;
        if (readOptions.direction === BACKWARDS) {
          const top = from === END || from === START ? (stream.at(-1)?.revision ?? -1n) : from;
          return stream
            .filter((r) => r.revision <= top)
            .slice(-max)
            .reverse()
            .map(resolved);
        }
        const first = from === START ? 0n : from === END ? TOMBSTONE_REVISION : from;
        return stream
          .filter((r) => r.revision >= first)
          .slice(0, max)
          .map(resolved);
      }),

    readAll: (readOptions: {
      fromPosition?: Position | "start" | "end";
      direction?: string;
      maxCount?: number | bigint;
    }) =>
      streaming(() => {
        const max = Number(readOptions.maxCount ?? Number.MAX_SAFE_INTEGER);
        const from = readOptions.fromPosition ?? START;
        if (readOptions.direction === BACKWARDS) {
          const older =
            typeof from === "object" ? all.filter((r) => !before(from, r.position)) : all;
          return older.slice(-max).reverse().map(resolved);
        }
        const newer = typeof from === "object" ? all.filter((r) => !before(r.position, from)) : all;
        return newer.slice(0, max).map(resolved);
      }),

    /**
     * Like the client: a Transform fed with server responses, that calls `checkpointReached` and
     * emits "caughtUp" while transforming them, and starts strictly after `fromPosition`.
     */
    subscribeToAll: (subscribeOptions: {
      fromPosition?: Position | "start" | "end";
      filter?: Filter;
    }) => {
      const { filter } = subscribeOptions;
      const from = subscribeOptions.fromPosition;
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
        if (subscription.destroyed) return;
        scanned += 1;
        if (passes(record)) subscription.write({ event: record });
        else if (every > 0 && scanned % every === 0)
          // The server reports how far it scanned by commit position alone.
          subscription.write({ checkpoint: { commit: record.position.commit, prepare: 0n } });
      };
      const forget = () => {
        live.delete(feed);
        subscriptions.delete(subscription);
      };
      subscription.once("close", forget);
      subscriptions.add(subscription);
      setImmediate(() => {
        const fault = subscribeFaults.shift();
        if (fault !== undefined) {
          subscription.destroy(asError(fault) as Error);
          return;
        }
        if (subscription.destroyed) return;
        for (const record of from === END ? [] : all) {
          if (typeof from !== "object" || before(from, record.position)) feed(record);
        }
        subscription.write({ caughtUp: true });
        live.add(feed);
      });
      return Object.assign(subscription, { unsubscribe: async () => forget() });
    },

    deleteStream: async (
      streamName: string,
      deleteOptions: { expectedRevision?: AppendExpectedRevision } = {},
    ) => {
      if (tombstoned.has(streamName)) throw StreamDeletedError.fromStreamName(streamName);
      const current = streams.get(streamName)?.at(-1)?.revision ?? -1n;
      const expected = deleteOptions.expectedRevision ?? "any";
      if (typeof expected === "bigint" && expected !== current) {
        throw wrongVersion(streamName, expected, current);
      }
      truncatedBefore.set(streamName, current + 1n);
      const marker = write(`$$${streamName}`, "$metadata", { $tb: Number(current + 1n) });
      return { position: marker.position };
    },

    tombstoneStream: async (streamName: string) => {
      if (tombstoned.has(streamName)) throw StreamDeletedError.fromStreamName(streamName);
      tombstoned.add(streamName);
      generatedIds += 1;
      const [marker] = commit(
        streamName,
        [
          {
            id: `00000000-0000-4000-9000-${generatedIds.toString().padStart(12, "0")}`,
            type: "$streamDeleted",
            ...serialise({ type: "$streamDeleted", data: {} }),
          },
        ],
        () => TOMBSTONE_REVISION,
      );
      return { position: marker?.position };
    },

    getStreamMetadata: async (streamName: string) => {
      const found = metadataOf.get(streamName);
      return found === undefined ? { streamName } : { streamName, metadata: found };
    },

    setStreamMetadata: async (streamName: string, value: StreamMetadata) => {
      if (metadataFailure !== undefined) throw asError(metadataFailure);
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
    /** The next append fails with this client error, or as the client reports this fault. */
    failNextAppend: (fault: ServerFault | Error) => appendFaults.push(fault),
    /** The next read (of a stream or of `$all`) fails while iterating. */
    failNextRead: (fault: ServerFault | Error) => readFaults.push(fault),
    /** The next subscription fails as soon as it is opened. */
    failNextSubscribe: (fault: ServerFault | Error) => subscribeFaults.push(fault),
    /** Every live subscription ends with this fault, as when the connection drops under them. */
    dropSubscriptions: (fault: ServerFault | Error = "connection-lost") => {
      for (const subscription of [...subscriptions]) subscription.destroy(asError(fault) as Error);
    },
    failMetadataWrites: (fault: ServerFault | Error) => {
      metadataFailure = fault;
    },
    /** The server restarted: its cache of recent event ids is gone, the log is not. */
    restart: () => recentIds.clear(),
    appendCalls: () => appendCalls,
    cancelledReads: () => cancelled,
    packed: (record: FakeRecord) => (record.position.commit << 64n) | record.position.prepare,
  };
};

export type FakeClient = ReturnType<typeof createFakeClient>;
