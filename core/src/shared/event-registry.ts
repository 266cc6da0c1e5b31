import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import { type FieldError, fieldErrors } from "./codecs.js";

/** A domain event as the domain sees it: a type name and its decoded data. */
export interface TypedEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export type EventsOf<Registry extends Record<string, t.Mixed>> = {
  [K in keyof Registry & string]: TypedEvent<K, t.TypeOf<Registry[K]>>;
}[keyof Registry & string];

export type EventDecodeError =
  | { readonly kind: "unknown_type"; readonly type: string }
  | {
      readonly kind: "invalid_data";
      readonly type: string;
      readonly fields: ReadonlyArray<FieldError>;
    };

export interface EventRegistry<Event extends TypedEvent> {
  readonly types: ReadonlySet<string>;
  readonly has: (type: string) => boolean;
  readonly decode: (type: string, data: unknown) => E.Either<EventDecodeError, Event>;
  /** The JSON form of an event's data, as it is stored. */
  readonly encode: (event: Event) => unknown;
}

/** One codec per event type, looked up by name: decoding costs one map lookup, not a union scan. */
export const eventRegistry = <Registry extends Record<string, t.Mixed>>(
  registry: Registry,
): EventRegistry<EventsOf<Registry>> => {
  const codecs = new Map<string, t.Mixed>(Object.entries(registry));
  return {
    types: new Set(codecs.keys()),
    has: (type) => codecs.has(type),
    decode: (type, data) => {
      const codec = codecs.get(type);
      if (codec === undefined) return E.left({ kind: "unknown_type", type });
      const decoded = codec.decode(data);
      return E.isRight(decoded)
        ? E.right({ type, data: decoded.right } as EventsOf<Registry>)
        : E.left({ kind: "invalid_data", type, fields: fieldErrors(decoded.left) });
    },
    encode: (event) => (codecs.get(event.type) as t.Mixed).encode(event.data),
  };
};

export const mergeRegistries = <A extends TypedEvent, B extends TypedEvent>(
  a: EventRegistry<A>,
  b: EventRegistry<B>,
): EventRegistry<A | B> => ({
  types: new Set([...a.types, ...b.types]),
  has: (type) => a.has(type) || b.has(type),
  decode: (type, data) => (a.has(type) ? a.decode(type, data) : b.decode(type, data)),
  encode: (event) => (a.has(event.type) ? a.encode(event as A) : b.encode(event as B)),
});
