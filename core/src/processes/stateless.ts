import * as t from "io-ts";
import type { Category } from "../domain/streams.js";
import type { DomainRecordedEvent } from "../projections/projection.js";
import type { ProcessCommand, ProcessManager } from "./process-manager.js";

/**
 * A process manager that remembers nothing: each event maps to commands on its own. Redelivery
 * repeats the commands, which their aggregates decide as no-ops.
 */
export const stateless = (
  name: string,
  categories: ReadonlyArray<Category>,
  commandsFor: (event: DomainRecordedEvent) => ReadonlyArray<ProcessCommand>,
): ProcessManager<null> => ({
  name,
  categories,
  initialState: null,
  codec: t.null,
  react: (state, event) => ({ state, commands: commandsFor(event) }),
});
