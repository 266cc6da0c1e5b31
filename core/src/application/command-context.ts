import type { Position } from "../events/recorded-event.js";
import { type IsoInstant, isoInstant } from "../shared/codecs.js";
import type { EventMetadata } from "../shared/metadata.js";
import { SYSTEM_ROLE } from "../shared/roles.js";

/** Who asked and why: becomes the metadata of every event the command produces. */
export interface CommandContext {
  readonly correlationId: string;
  /** The id of the request, command or event that caused this command. */
  readonly causationId: string;
  /** Who acted: the `sub` of the caller's token, or the name of a process manager or sweep. */
  readonly actor?: string;
  /** The role they acted in: the one that let the request through, or `system`. */
  readonly actorRole?: string;
  /** The W3C trace context the command runs under, stored with its events. */
  readonly traceparent?: string;
  /**
   * Told the global position of what the command appended, when it appended anything: how an
   * HTTP answer learns the position a reader must wait for to see its own write. Not stored.
   */
  readonly appended?: (position: Position) => void;
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

export const metadataFor = (context: CommandContext, now: Date): EventMetadata => {
  const metadata: EventMetadata = {
    correlationId: context.correlationId,
    causationId: context.causationId,
    occurredAt: isoOf(now),
  };
  const traced =
    context.traceparent === undefined
      ? metadata
      : { ...metadata, traceparent: context.traceparent };
  if (context.actor === undefined) return traced;
  return context.actorRole === undefined
    ? { ...traced, actor: context.actor }
    : { ...traced, actor: context.actor, actorRole: context.actorRole };
};

/** A process manager or sweep as the one who acts: never "nobody". */
export const systemActor = (name: string): Pick<CommandContext, "actor" | "actorRole"> => ({
  actor: name,
  actorRole: SYSTEM_ROLE,
});

/**
 * The context of a command caused by an event: same correlation, caused by that event, sent by
 * the named system actor.
 */
export const causedBy = (
  event: {
    readonly eventId: string;
    readonly metadata: EventMetadata;
  },
  actor?: string,
): CommandContext => ({
  correlationId: event.metadata.correlationId,
  causationId: event.eventId,
  ...(actor === undefined ? {} : systemActor(actor)),
});
