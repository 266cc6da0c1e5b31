import { toJson } from "@mebel/adapter-http";
import type { StoredEvent } from "@mebel/core";

/**
 * When the event happened, from its metadata. Events are shown as stored, not decoded: an
 * inspection tool must show a malformed event too, which is when it is needed most.
 */
const occurredAt = (metadata: unknown): string => {
  const at = (metadata as { occurredAt?: unknown } | null)?.occurredAt;
  return typeof at === "string" ? at : "-";
};

/** `#12 Order-42@0 2026-01-01T09:00:00.000Z OrderCreated {"customerId":"olga"}` */
export const eventLine = (event: StoredEvent): string =>
  `#${event.position} ${event.streamName}@${event.revision} ${occurredAt(event.metadata)} ${event.type} ${toJson(event.data)}`;

/** One JSON object per line; the position is a decimal string, as bigints are everywhere. */
export const eventJson = (event: StoredEvent): string =>
  toJson({
    position: event.position,
    stream: event.streamName,
    revision: event.revision,
    type: event.type,
    time: occurredAt(event.metadata),
    eventId: event.eventId,
    data: event.data,
    metadata: event.metadata,
  });
