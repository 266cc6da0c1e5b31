import * as E from "fp-ts/lib/Either.js";
import { type FieldError, fieldErrors } from "../shared/codecs.js";
import type { EventDecodeError, EventRegistry, TypedEvent } from "../shared/event-registry.js";
import { EventMetadata } from "../shared/metadata.js";

/**
 * Where an event sits in the one global order of the store. Opaque beyond ordering: PostgreSQL and
 * memory count events, EventStoreDB packs its (commit, prepare) pair. A bigint, so nothing is lost.
 */
export type Position = bigint;

/**
 * An event's 0-based index in its stream. A bigint, as EventStoreDB's client has it and as the
 * stores keep it (`bigint` columns), so a stream past 2^31 or 2^53 events reads back exactly.
 */
export type Revision = bigint;

/** An event on its way into a stream. `eventId` is chosen once, so a retried append is recognised. */
export interface EventToAppend {
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

/** An event as a store returns it: data and metadata are still unchecked JSON. */
export interface StoredEvent {
  readonly streamName: string;
  /** 0-based index of the event in its stream. */
  readonly revision: Revision;
  readonly position: Position;
  readonly eventId: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** A stored event whose data and metadata have been decoded. */
export interface RecordedEvent<Event extends TypedEvent = TypedEvent> {
  readonly streamName: string;
  readonly revision: Revision;
  readonly position: Position;
  readonly eventId: string;
  readonly event: Event;
  readonly metadata: EventMetadata;
}

export type RecordedDecodeError =
  | EventDecodeError
  | {
      readonly kind: "invalid_metadata";
      readonly type: string;
      readonly fields: ReadonlyArray<FieldError>;
    };

/**
 * The schema version an event was written in, from its metadata; 1 when it names none (every
 * event written before versions were recorded is of version 1).
 */
export const schemaVersionOf = (metadata: unknown): number => {
  const version = (metadata as { readonly schemaVersion?: unknown } | null | undefined)
    ?.schemaVersion;
  return typeof version === "number" ? version : 1;
};

export const decodeRecorded =
  <Event extends TypedEvent>(registry: EventRegistry<Event>) =>
  (stored: StoredEvent): E.Either<RecordedDecodeError, RecordedEvent<Event>> => {
    const event = registry.decode(stored.type, stored.data, schemaVersionOf(stored.metadata));
    if (E.isLeft(event)) return event;
    const metadata = EventMetadata.decode(stored.metadata);
    if (E.isLeft(metadata)) {
      return E.left({
        kind: "invalid_metadata",
        type: stored.type,
        fields: fieldErrors(metadata.left),
      });
    }
    return E.right({
      streamName: stored.streamName,
      revision: stored.revision,
      position: stored.position,
      eventId: stored.eventId,
      event: event.right,
      metadata: metadata.right,
    });
  };

export const describeDecodeError = (stored: StoredEvent, error: RecordedDecodeError): string => {
  const where = `${stored.streamName}@${stored.revision} (${stored.eventId})`;
  switch (error.kind) {
    case "unknown_type":
      return `${where}: unknown event type ${error.type}`;
    case "unknown_version":
      return `${where}: ${error.type} of schema version ${error.version}, which this code cannot read (written by a newer one?)`;
    case "invalid_data":
    case "invalid_metadata":
      return `${where}: ${error.kind === "invalid_data" ? `data of ${error.type} v${error.version}` : `metadata of ${error.type}`} is malformed at ${error.fields
        .map((f) => `${f.path} (expected ${f.expected})`)
        .join(", ")}`;
  }
};
