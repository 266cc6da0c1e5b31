import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { type FieldError, fieldErrors } from "./codecs.js";

/** A domain event as the domain sees it: a type name and its decoded data. */
export interface TypedEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * An older version of an event type's data, and how it becomes the next one. `upcast` is pure
 * and total on what `codec` accepts; chained, the upcasters lift any stored version to the newest,
 * so deciders, projections and process managers only ever see one shape.
 */
export interface OlderVersion {
  readonly version: number;
  readonly codec: t.Mixed;
  // biome-ignore lint/suspicious/noExplicitAny: each upcaster takes what its own codec decoded
  readonly upcast: (data: any) => unknown;
}

/** An event type that has changed shape: the newest codec, its older versions oldest first. */
export interface VersionedEvent<Current extends t.Mixed> {
  readonly kind: "versioned";
  readonly current: Current;
  readonly version: number;
  readonly older: ReadonlyArray<OlderVersion>;
}

/**
 * The newest codec of an event type and the versions before it, numbered from 1. A version is
 * never removed nor changed once released: events of it stay in the store for good, and the frozen
 * fixtures in `core/src/domain/fixtures` fail the suite if one stops decoding.
 */
export const versioned = <Current extends t.Mixed>(
  current: Current,
  older: ReadonlyArray<Omit<OlderVersion, "version">>,
): VersionedEvent<Current> => ({
  kind: "versioned",
  current,
  version: older.length + 1,
  older: older.map((o, i) => ({ ...o, version: i + 1 })),
});

type Entry = t.Mixed | VersionedEvent<t.Mixed>;
type CurrentOf<E extends Entry> = E extends VersionedEvent<infer C> ? C : E;

export type EventsOf<Registry extends Record<string, Entry>> = {
  [K in keyof Registry & string]: TypedEvent<K, t.TypeOf<CurrentOf<Registry[K]>>>;
}[keyof Registry & string];

export type EventDecodeError =
  | { readonly kind: "unknown_type"; readonly type: string }
  | { readonly kind: "unknown_version"; readonly type: string; readonly version: number }
  | {
      readonly kind: "invalid_data";
      readonly type: string;
      readonly version: number;
      readonly fields: ReadonlyArray<FieldError>;
    };

export interface EventRegistry<Event extends TypedEvent> {
  readonly types: ReadonlySet<string>;
  readonly has: (type: string) => boolean;
  /** The version events of `type` are written in: its newest. */
  readonly versionOf: (type: string) => number;
  /** Every version of `type` that can still be read, oldest first. */
  readonly versions: (type: string) => ReadonlyArray<number>;
  /** Decodes data stored as `version` (1 when the event says none) into the newest shape. */
  readonly decode: (
    type: string,
    data: unknown,
    version?: number,
  ) => E.Either<EventDecodeError, Event>;
  /** The JSON form of an event's data, as it is stored: always its newest version. */
  readonly encode: (event: Event) => unknown;
  /** The codec of every version of `type` that can still be read, oldest first (the catalogue). */
  readonly codecs: (
    type: string,
  ) => ReadonlyArray<{ readonly version: number; readonly codec: t.Mixed }>;
}

interface Chain {
  readonly current: t.Mixed;
  readonly version: number;
  /** Indexed by version - 1. */
  readonly older: ReadonlyArray<OlderVersion>;
}

const chainOf = (entry: Entry): Chain =>
  "kind" in entry && entry.kind === "versioned"
    ? entry
    : { current: entry as t.Mixed, version: 1, older: [] };

/**
 * One codec (chain) per event type, looked up by name: decoding the newest version costs one map
 * lookup and one decode, whatever the number of types; an older one walks its upcasters once.
 */
export const eventRegistry = <Registry extends Record<string, Entry>>(
  registry: Registry,
): EventRegistry<EventsOf<Registry>> => {
  const chains = new Map<string, Chain>(
    Object.entries(registry).map(([type, entry]) => [type, chainOf(entry)]),
  );
  const decode = (
    type: string,
    data: unknown,
    version = 1,
  ): E.Either<EventDecodeError, EventsOf<Registry>> => {
    const chain = chains.get(type);
    if (chain === undefined) return E.left({ kind: "unknown_type", type });
    if (!Number.isInteger(version) || version < 1 || version > chain.version) {
      return E.left({ kind: "unknown_version", type, version });
    }
    let json = data;
    for (let v = version; v < chain.version; v += 1) {
      const older = chain.older[v - 1] as OlderVersion;
      const decoded = older.codec.decode(json);
      if (E.isLeft(decoded)) {
        return E.left({
          kind: "invalid_data",
          type,
          version: v,
          fields: fieldErrors(decoded.left),
        });
      }
      json = older.upcast(decoded.right);
    }
    const decoded = chain.current.decode(json);
    return E.isRight(decoded)
      ? E.right({ type, data: decoded.right } as EventsOf<Registry>)
      : E.left({
          kind: "invalid_data",
          type,
          version: chain.version,
          fields: fieldErrors(decoded.left),
        });
  };
  return {
    types: new Set(chains.keys()),
    has: (type) => chains.has(type),
    versionOf: (type) => chains.get(type)?.version ?? 1,
    versions: (type) => {
      const chain = chains.get(type);
      return chain === undefined ? [] : Array.from({ length: chain.version }, (_, i) => i + 1);
    },
    decode,
    encode: (event) => (chains.get(event.type) as Chain).current.encode(event.data),
    codecs: (type) => {
      const chain = chains.get(type);
      if (chain === undefined) return [];
      return [
        ...chain.older.map(({ version, codec }) => ({ version, codec })),
        { version: chain.version, codec: chain.current },
      ];
    },
  };
};

export const mergeRegistries = <A extends TypedEvent, B extends TypedEvent>(
  a: EventRegistry<A>,
  b: EventRegistry<B>,
): EventRegistry<A | B> => ({
  types: new Set([...a.types, ...b.types]),
  has: (type) => a.has(type) || b.has(type),
  versionOf: (type) => (a.has(type) ? a.versionOf(type) : b.versionOf(type)),
  versions: (type) => (a.has(type) ? a.versions(type) : b.versions(type)),
  decode: (type, data, version) =>
    a.has(type) ? a.decode(type, data, version) : b.decode(type, data, version),
  encode: (event) => (a.has(event.type) ? a.encode(event as A) : b.encode(event as B)),
  codecs: (type) => (a.has(type) ? a.codecs(type) : b.codecs(type)),
});
