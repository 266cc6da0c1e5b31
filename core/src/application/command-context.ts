import { type IsoInstant, isoInstant } from "../shared/codecs.js";
import type { EventMetadata } from "../shared/metadata.js";

/** Who asked and why: becomes the metadata of every event the command produces. */
export interface CommandContext {
  readonly correlationId: string;
  /** The id of the request, command or event that caused this command. */
  readonly causationId: string;
  readonly actor?: string;
}

// Formatting an instant costs more than deciding a command; commands within one millisecond
// share the text.
let lastMs = Number.NaN;
let lastIso = "" as IsoInstant;
const isoOf = (now: Date): IsoInstant => {
  const ms = now.getTime();
  if (ms !== lastMs) {
    lastIso = isoInstant(now);
    lastMs = ms;
  }
  return lastIso;
};

export const metadataFor = (context: CommandContext, now: Date): EventMetadata =>
  context.actor === undefined
    ? {
        correlationId: context.correlationId,
        causationId: context.causationId,
        occurredAt: isoOf(now),
      }
    : {
        correlationId: context.correlationId,
        causationId: context.causationId,
        occurredAt: isoOf(now),
        actor: context.actor,
      };

/** The context of a command caused by an event: same correlation, caused by that event. */
export const causedBy = (event: {
  readonly eventId: string;
  readonly metadata: EventMetadata;
}): CommandContext => ({
  correlationId: event.metadata.correlationId,
  causationId: event.eventId,
});
