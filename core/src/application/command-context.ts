import { isoInstant } from "../shared/codecs.js";
import type { EventMetadata } from "../shared/metadata.js";

/** Who asked and why: becomes the metadata of every event the command produces. */
export interface CommandContext {
  readonly correlationId: string;
  /** The id of the request, command or event that caused this command. */
  readonly causationId: string;
  readonly actor?: string;
}

export const metadataFor = (context: CommandContext, now: Date): EventMetadata => ({
  correlationId: context.correlationId,
  causationId: context.causationId,
  occurredAt: isoInstant(now),
  ...(context.actor === undefined ? {} : { actor: context.actor }),
});

/** The context of a command caused by an event: same correlation, caused by that event. */
export const causedBy = (event: {
  readonly eventId: string;
  readonly metadata: EventMetadata;
}): CommandContext => ({
  correlationId: event.metadata.correlationId,
  causationId: event.eventId,
});
