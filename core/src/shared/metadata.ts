import * as t from "io-ts";
import { IsoInstant } from "./codecs.js";

/**
 * What every stored event carries besides its data. The correlation id follows one user action
 * through every stream it touches; the causation id names the command or event that caused this one.
 */
export const EventMetadata = t.intersection([
  t.type({
    correlationId: t.string,
    causationId: t.string,
    occurredAt: IsoInstant,
  }),
  t.partial({ actor: t.string }),
]);
export type EventMetadata = t.TypeOf<typeof EventMetadata>;
