import type * as t from "io-ts";
import type { DeliveryCommand } from "../domain/delivery/commands.js";
import type { OrderCommand } from "../domain/order/commands.js";
import type { StockItemCommand } from "../domain/stock-item/commands.js";
import type { Category } from "../domain/streams.js";
import type { DomainRecordedEvent } from "../projections/projection.js";

/** A command a process manager asks for, tagged with the aggregate that must decide it. */
export type ProcessCommand =
  | { readonly aggregate: "StockItem"; readonly command: StockItemCommand }
  | { readonly aggregate: "Order"; readonly command: OrderCommand }
  | { readonly aggregate: "Delivery"; readonly command: DeliveryCommand };

export interface Reaction<State> {
  readonly state: State;
  readonly commands: ReadonlyArray<ProcessCommand>;
}

/**
 * A process manager as a pure function: given what it remembers and one event, what it remembers
 * next and which commands to send. Runners deliver events at least once, so every command it asks
 * for must be idempotent in its aggregate (deciding it twice emits once).
 */
export interface ProcessManager<State> {
  readonly name: string;
  readonly categories: ReadonlyArray<Category>;
  readonly initialState: State;
  /** Decodes the remembered state when it is loaded back from storage. */
  readonly codec: t.Type<State, unknown, unknown>;
  readonly react: (state: State, event: DomainRecordedEvent) => Reaction<State>;
}

/** A process manager of some state, for lists run alike; its state only returns to itself. */
// biome-ignore lint/suspicious/noExplicitAny: the state type is existential, see above
export type AnyProcessManager = ProcessManager<any>;
