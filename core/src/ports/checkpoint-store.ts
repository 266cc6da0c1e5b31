import type { Position } from "../events/recorded-event.js";

/** Durable positions of subscribers (process managers, reactors) by name. */
export interface CheckpointStore {
  readonly load: (name: string) => Promise<Position | undefined>;
  readonly save: (name: string, position: Position) => Promise<void>;
}
