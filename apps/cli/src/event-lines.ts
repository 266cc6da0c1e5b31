import { toJson } from "@mebel/adapter-http";
import { domainEvents, type StoredEvent, schemaVersionOf } from "@mebel/core";
import * as E from "fp-ts/lib/Either.js";

/**
 * When the event happened, from its metadata. An inspection tool must show a malformed event
 * too, which is when it is needed most: nothing here fails on what it reads.
 */
const occurredAt = (metadata: unknown): string => {
  const at = (metadata as { occurredAt?: unknown } | null)?.occurredAt;
  return typeof at === "string" ? at : "-";
};

interface Read {
  /** The data as the code reads it today: through the upcasters, or as stored if it cannot. */
  readonly data: unknown;
  readonly version: number;
  /** Set when the data was lifted from an older version. */
  readonly upcastTo?: number;
  /** Why our code cannot read it; undefined for what reads, and for types that are not ours. */
  readonly unreadable?: string;
}

const read = (event: StoredEvent): Read => {
  const version = schemaVersionOf(event.metadata);
  if (!domainEvents.has(event.type)) return { data: event.data, version };
  const decoded = domainEvents.decode(event.type, event.data, version);
  if (E.isLeft(decoded)) return { data: event.data, version, unreadable: decoded.left.kind };
  const newest = domainEvents.versionOf(event.type);
  return newest === version
    ? { data: event.data, version }
    : { data: domainEvents.encode(decoded.right), version, upcastTo: newest };
};

/** `#12 Order-42@0 2026-01-01T09:00:00.000Z OrderCreated {"customerId":"olga"}` */
export const eventLine = (event: StoredEvent): string => {
  const r = read(event);
  const note =
    r.upcastTo !== undefined
      ? ` (v${r.version}, shown as v${r.upcastTo})`
      : r.unreadable !== undefined
        ? ` (v${r.version}, as stored: ${r.unreadable.replace("_", " ")})`
        : "";
  return `#${event.position} ${event.streamName}@${event.revision} ${occurredAt(event.metadata)} ${event.type}${note} ${toJson(r.data)}`;
};

/** One JSON object per line; the position is a decimal string, as bigints are everywhere. */
export const eventJson = (event: StoredEvent): string => {
  const r = read(event);
  return toJson({
    position: event.position,
    stream: event.streamName,
    revision: event.revision,
    type: event.type,
    schemaVersion: r.version,
    time: occurredAt(event.metadata),
    eventId: event.eventId,
    data: r.data,
    ...(r.upcastTo === undefined ? {} : { stored: event.data }),
    ...(r.unreadable === undefined ? {} : { unreadable: r.unreadable }),
    metadata: event.metadata,
  });
};
