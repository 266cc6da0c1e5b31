import * as t from "io-ts";
import { IsoInstant } from "./codecs.js";

/** The metadata as declared: what is accepted, and the errors told when something is not. */
const EventMetadataFields = t.intersection([
  t.type({
    correlationId: t.string,
    causationId: t.string,
    occurredAt: IsoInstant,
  }),
  t.partial({
    actor: t.string,
    /** The role the actor acted in: the one that let the request through, or `system`. */
    actorRole: t.string,
    /** The version of the event's data schema; absent on events written before it was recorded. */
    schemaVersion: t.number,
    /**
     * The W3C trace context of the command that wrote it, so the work the event causes joins the
     * same trace, even after a restart; absent on events written before it was recorded.
     */
    traceparent: t.string,
  }),
]);
export type EventMetadata = t.TypeOf<typeof EventMetadataFields>;

/**
 * What `EventMetadataFields` accepts, checked in one pass without allocating: every stored event
 * is decoded with it, and the combinators' bookkeeping cost more than the checks themselves.
 */
const isEventMetadata = (u: unknown): u is EventMetadata => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return false;
  const m = u as Record<string, unknown>;
  const { actor, actorRole, schemaVersion, traceparent } = m;
  return (
    typeof m.correlationId === "string" &&
    typeof m.causationId === "string" &&
    IsoInstant.is(m.occurredAt) &&
    (actor === undefined || typeof actor === "string") &&
    (actorRole === undefined || typeof actorRole === "string") &&
    (schemaVersion === undefined || typeof schemaVersion === "number") &&
    (traceparent === undefined || typeof traceparent === "string")
  );
};

/**
 * What every stored event carries besides its data. The correlation id follows one user action
 * through every stream it touches; the causation id names the command or event that caused this one.
 * Metadata that passes the quick check is the decoded value itself, as the declared codec would
 * return it; anything else goes through the declared codec, for the same verdict and errors.
 */
export const EventMetadata: t.Type<
  EventMetadata,
  t.OutputOf<typeof EventMetadataFields>,
  unknown
> = new t.Type(
  EventMetadataFields.name,
  EventMetadataFields.is,
  (u, context) => (isEventMetadata(u) ? t.success(u) : EventMetadataFields.validate(u, context)),
  EventMetadataFields.encode,
);
