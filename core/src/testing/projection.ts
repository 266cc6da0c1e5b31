import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { type DomainEventType, domainEvents } from "../domain/events.js";
import {
  type DomainRecordedEvent,
  type Projection,
  replay,
  type Versioned,
} from "../projections/projection.js";
import { IsoInstant } from "../shared/codecs.js";
import { canonicalJson } from "./equality.js";

/** An event as a test writes it: plain JSON, checked against its codec when it is recorded. */
export interface EventInput {
  readonly stream: string;
  readonly type: DomainEventType;
  readonly data: unknown;
  /** When it happened; by default a minute after the event before it. */
  readonly at?: string;
  /** The schema version `data` is written in; by default the newest, today's shape. */
  readonly version?: number;
}

export interface RecordOptions {
  /** When the first event happened (unless it says otherwise). */
  readonly startAt?: string;
  /** Time between consecutive events that do not say when they happened. */
  readonly stepMs?: number;
}

const DEFAULT_START = "2026-01-05T09:00:00.000Z";
const MINUTE = 60_000;

const fail = (message: string): never => {
  throw new Error(message);
};

/**
 * The events as a store would record them: revisions counted per stream from 0, global positions
 * from 1, event ids `<stream>@<revision>` (readable in notifications and diffs). Data is decoded
 * with the event's codec, so a fixture with a typo fails here, not as a puzzling document.
 */
export const recordEvents = (
  inputs: ReadonlyArray<EventInput>,
  options: RecordOptions = {},
): ReadonlyArray<DomainRecordedEvent> => {
  const revisions = new Map<string, bigint>();
  let clock = Date.parse(options.startAt ?? DEFAULT_START) - (options.stepMs ?? MINUTE);
  return inputs.map((input, index) => {
    const event = domainEvents.decode(
      input.type,
      input.data,
      input.version ?? domainEvents.versionOf(input.type),
    );
    if (E.isLeft(event)) {
      return fail(
        `event ${index} (${input.type} on ${input.stream}) does not decode: ${canonicalJson(event.left)}`,
      );
    }
    const at = input.at ?? new Date(clock + (options.stepMs ?? MINUTE)).toISOString();
    if (!IsoInstant.is(at)) return fail(`event ${index}: "${at}" is not an ISO-8601 instant`);
    clock = Date.parse(at);
    const revision = (revisions.get(input.stream) ?? -1n) + 1n;
    revisions.set(input.stream, revision);
    return {
      streamName: input.stream,
      revision,
      position: BigInt(index + 1),
      eventId: `${input.stream}@${revision}`,
      event: event.right,
      metadata: { correlationId: "given", causationId: "given", occurredAt: at },
    };
  });
};

/**
 * What a test writes for a value of type T: the same shape with brands dropped (an `OrderId` is
 * written `"o-1"`), maps written as objects.
 */
export type Plain<T> =
  T extends t.Brand<unknown>
    ? T extends string
      ? string
      : T extends number
        ? number
        : T
    : T extends ReadonlyMap<infer K, infer V>
      ? Readonly<Record<Plain<K> & string, Plain<V>>>
      : T extends ReadonlyArray<infer U>
        ? ReadonlyArray<Plain<U>>
        : T extends object
          ? { readonly [K in keyof T]: Plain<T[K]> }
          : T;

/** The fields of a document a test names; the others (such as `revisions`) are not compared. */
export type ExpectedDocument<View> = { readonly [K in keyof View]?: Plain<View[K]> };

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Maps and sets compare as the objects and arrays a test writes for them. */
const plain = (v: unknown): unknown =>
  v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v;

const show = (v: unknown): string =>
  v === undefined ? "nothing" : JSON.stringify(JSON.parse(canonicalJson(plain(v))));

/**
 * Where two JSON-like values differ, one line per difference, as `path: expected X, actual Y`.
 * Keys whose value is `undefined` count as missing, as they would after a trip through JSON.
 */
export const jsonDifferences = (
  actual: unknown,
  expected: unknown,
  path = "",
): ReadonlyArray<string> => {
  const a = plain(actual);
  const e = plain(expected);
  const here = path === "" ? "(whole value)" : path;
  if (Array.isArray(a) && Array.isArray(e)) {
    return Array.from({ length: Math.max(a.length, e.length) }, (_, i) =>
      jsonDifferences(a[i], e[i], `${path}[${i}]`),
    ).flat();
  }
  if (isRecord(a) && isRecord(e)) {
    const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])].sort();
    return keys.flatMap((k) => jsonDifferences(a[k], e[k], path === "" ? k : `${path}.${k}`));
  }
  return canonicalJson(a) === canonicalJson(e)
    ? []
    : [`${here}: expected ${show(e)}, actual ${show(a)}`];
};

/** Throws an Error listing the differences (and the whole actual value) when there are any. */
export const assertSameJson = (actual: unknown, expected: unknown, what: string): void => {
  const differences = jsonDifferences(actual, expected);
  if (differences.length > 0) {
    throw new Error(
      `${what} is not as expected:\n  ${differences.join("\n  ")}\n--- actual\n${canonicalJson(plain(actual))}`,
    );
  }
};

export interface ProjectionOutcome<View extends Versioned> {
  /** Every document the events built, by key. */
  readonly docs: ReadonlyMap<string, View>;
  /** The document exists and the fields named are exactly these. */
  readonly thenDocument: (key: string, expected: ExpectedDocument<View>) => ProjectionOutcome<View>;
  /** These documents and no others exist, each with the fields named. */
  readonly thenDocuments: (
    expected: Readonly<Record<string, ExpectedDocument<View>>>,
  ) => ProjectionOutcome<View>;
  readonly thenNoDocument: (key: string) => ProjectionOutcome<View>;
  /** A query over all the documents answers exactly this. */
  readonly thenQuery: <R>(
    query: (docs: ReadonlyArray<View>) => R,
    expected: Plain<R>,
  ) => ProjectionOutcome<View>;
}

/** Every document must come back the same from storage: JSON, then the projection's codec. */
const assertStorable = <View extends Versioned>(
  projection: Projection<View>,
  key: string,
  doc: View,
): void => {
  const stored: unknown = JSON.parse(JSON.stringify(projection.codec.encode(doc)));
  const decoded = projection.codec.decode(stored);
  if (E.isLeft(decoded)) {
    fail(`${projection.name} document "${key}" does not decode after storing: ${show(stored)}`);
  } else {
    assertSameJson(decoded.right, doc, `${projection.name} document "${key}" after storing`);
  }
};

const selected = <View>(doc: View, expected: ExpectedDocument<View>): unknown =>
  Object.fromEntries(Object.keys(expected).map((k) => [k, doc[k as keyof View]]));

/**
 * Given these events, then these documents: a projection's behaviour stated the way the domain
 * speaks, usable from any test runner. The events are replayed from zero; every check throws an
 * Error with a readable diff on a mismatch and returns the outcome for the next check.
 */
export const givenEvents = <View extends Versioned>(
  projection: Projection<View>,
  ...events: ReadonlyArray<DomainRecordedEvent>
): ProjectionOutcome<View> => {
  const docs = replay(projection, events);
  for (const [key, doc] of docs) assertStorable(projection, key, doc);
  const label = (key: string) => `${projection.name} document "${key}"`;
  const documentOf = (key: string): View =>
    docs.get(key) ??
    fail(`${projection.name} has no document "${key}"; it has ${show([...docs.keys()])}`);

  const outcome: ProjectionOutcome<View> = {
    docs,
    thenDocument: (key, expected) => {
      assertSameJson(selected(documentOf(key), expected), expected, label(key));
      return outcome;
    },
    thenDocuments: (expected) => {
      assertSameJson(
        [...docs.keys()].sort(),
        Object.keys(expected).sort(),
        `${projection.name} keys`,
      );
      for (const [key, fields] of Object.entries(expected)) outcome.thenDocument(key, fields);
      return outcome;
    },
    thenNoDocument: (key) => {
      if (docs.has(key)) fail(`${label(key)} exists: ${show(docs.get(key))}`);
      return outcome;
    },
    thenQuery: (query, expected) => {
      assertSameJson(query([...docs.values()]), expected, `${projection.name} query`);
      return outcome;
    },
  };
  return outcome;
};
